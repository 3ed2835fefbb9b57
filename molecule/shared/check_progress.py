"""The progress lines of a rolling update, from the Ansible log of the scenario (log_path).

usage: check_progress.py --log ANSIBLE.log --hosts HOST,... --cluster NAME --interval SECONDS
The last rolling update in the log (from its last "[NAME] node 1/N" step line) must show:
- for each host in the planned order, the step lines "evacuate" then "update", each naming the
  cluster, node i/N and the time since the run started, i the host's place in that order;
- then the cluster's steps "placement" and "verify"; the times never go back;
- while each host's setup ran (after its update line, before the next step line), at least one
  "still waiting for setup" line, their seconds increasing and within the
  setup's own deadline ("of at most N s"), none before --interval seconds;
- no "None" in any progress line.
Prints a JSON summary; exits 1 with the problems found.
"""
import argparse
import json
import re
import sys

STEP = r"TASK \[\[%s\] (?:node (\d+)/(\d+) (\S+): )?([a-z ]+) \(\+(\d\d):(\d\d):(\d\d)\)\]"
WAITING = r"\[%s\] node (\d+)/(\d+) (\S+): still waiting for setup \(\+(\d\d):(\d\d):(\d\d), (\d+) s of at most (\d+) s\)"


def seconds(hours, minutes, secs):
    return int(hours) * 3600 + int(minutes) * 60 + int(secs)


def lines_of(text, cluster):
    """[(kind, fields)] in log order: ('step', (i, n, host, step, t)) and ('wait', (i, n, host, t, waited, limit))."""
    step, waiting = re.compile(STEP % re.escape(cluster)), re.compile(WAITING % re.escape(cluster))
    found = []
    for line in text.splitlines():
        match = step.search(line)
        if match:
            i, n, host, name = match.group(1), match.group(2), match.group(3), match.group(4)
            found.append(('step', (int(i or 0), int(n or 0), host, name, seconds(*match.group(5, 6, 7)))))
            continue
        match = waiting.search(line)
        if match:
            found.append(('wait', (int(match.group(1)), int(match.group(2)), match.group(3),
                                   seconds(*match.group(4, 5, 6)), int(match.group(7)), int(match.group(8)))))
    return found


def check(text, hosts, cluster, interval):
    problems = []
    found = lines_of(text, cluster)
    starts = [k for k, (kind, fields) in enumerate(found) if kind == 'step' and fields[0] == 1 and fields[3] == 'evacuate']
    if not starts:
        return ['no "[%s] node 1/%d ...: evacuate" step line in the log' % (cluster, len(hosts))], {}
    found = found[starts[-1]:]
    steps = [fields for kind, fields in found if kind == 'step']
    expected = [(i, len(hosts), host, step) for i, host in enumerate(hosts, 1) for step in ('evacuate', 'update')]
    seen = [(i, n, host, step) for i, n, host, step, _t in steps if host]
    if seen != expected:
        problems.append('node steps %s, expected %s' % (seen, expected))
    cluster_steps = [step for _i, _n, host, step, _t in steps if not host]
    if cluster_steps[-2:] != ['placement', 'verify']:
        problems.append('the cluster steps end with %s, expected placement then verify' % cluster_steps)
    times = [t for _i, _n, _h, _s, t in steps]
    if times != sorted(times):
        problems.append('the times since the start go back: %s' % times)
    waits = {}
    current = None
    for kind, fields in found:
        if kind == 'step':
            current = fields[2] if fields[3] == 'update' else None
            continue
        i, n, host, _t, waited, limit = fields
        if host != current:
            problems.append('a "still waiting for setup" line of %s outside its update step' % host)
        if waited < interval or waited > limit:
            problems.append('%s: a line after %d s, before the interval %d s or past the deadline %d s'
                            % (host, waited, interval, limit))
        waits.setdefault(host, []).append(waited)
    for host in hosts:
        said = waits.get(host, [])
        if not said or said != sorted(set(said)):
            problems.append('%s: still-waiting lines %s (at least one, in order, expected)' % (host, said))
    nones = [line for line in text.splitlines() if '[%s] ' % cluster in line and 'None' in line]
    if nones:
        problems.append('None in progress lines: %s' % nones[:3])
    return problems, {'steps': len(steps), 'waiting': waits}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--log', required=True)
    parser.add_argument('--hosts', required=True, help='the hosts in the planned order, comma-separated')
    parser.add_argument('--cluster', required=True)
    parser.add_argument('--interval', type=int, required=True)
    args = parser.parse_args()
    with open(args.log) as handle:
        text = handle.read()
    problems, summary = check(text, args.hosts.split(','), args.cluster, args.interval)
    print(json.dumps(summary, sort_keys=True))
    if problems:
        print('\n'.join(problems), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
