"""The picture of a report for the README (docs/images/report.png): a real report's HTML page
(plugins/plugin_utils/report_view.py) rendered in headless Chromium.

usage: screenshot_report.py REPORT.json OUTPUT.png [--html OUTPUT.html] [--size 1200,900]
REPORT.json: a report the collection wrote (tests/unit/fixtures/report-default.json comes
from a molecule run of the default scenario). Needs chromium (Debian package chromium);
not part of `make test` (make report-screenshot).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BROWSERS = ('chromium', 'chromium-browser', 'google-chrome')


def _import_view():
    """report_view from this checkout (the collection linked by make collection-link)."""
    collections = os.environ.get('ANSIBLE_COLLECTIONS_PATH', os.path.join(REPO, '.cache', 'collections'))
    for path in collections.split(os.pathsep):
        if os.path.isdir(os.path.join(path, 'ansible_collections', 'hatools', 'lifekeeper')):
            sys.path.insert(0, path)
            break
    from ansible_collections.hatools.lifekeeper.plugins.plugin_utils import report_view
    return report_view


def browser():
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit('no headless browser found (%s): apt-get install -y chromium' % ', '.join(BROWSERS))


def screenshot(page, output, size):
    """Chromium's picture of the HTML file page (file://) at size 'W,H'."""
    profile = tempfile.mkdtemp(prefix='report-screenshot-')
    try:
        argv = [browser(), '--headless', '--disable-gpu', '--hide-scrollbars', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--no-first-run', '--user-data-dir=' + profile,
                '--screenshot=' + os.path.abspath(output), '--window-size=' + size, 'file://' + os.path.abspath(page)]
        if os.geteuid() == 0:
            argv.insert(2, '--no-sandbox')   # Chromium refuses to run as root with its sandbox
        subprocess.run(argv, check=True, timeout=120, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    if not os.path.exists(output) or os.path.getsize(output) == 0:
        raise SystemExit('chromium wrote no picture to %s' % output)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('report')
    parser.add_argument('output')
    parser.add_argument('--html', help='keep the HTML page here too')
    parser.add_argument('--size', default='1200,900')
    args = parser.parse_args()
    with open(args.report) as handle:
        report = json.load(handle)
    page_text = _import_view().render(report, 'html')
    folder = tempfile.mkdtemp(prefix='report-page-')
    try:
        page = os.path.join(folder, 'report.html')
        with open(page, 'w') as handle:
            handle.write(page_text)
        if args.html:
            shutil.copyfile(page, args.html)
        os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
        screenshot(page, args.output, args.size)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(args.output)
    return 0


if __name__ == '__main__':
    sys.exit(main())
