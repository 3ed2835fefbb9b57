# Runs an iRule under tclsh with stand-ins for the BIG-IP commands it may use.
#
#   tclsh irule_harness.tcl IRULE_FILE events
#       prints "events NAME..." (the `when` blocks declared, in order)
#   tclsh irule_harness.tcl IRULE_FILE run EVENT POOL ACTIVE
#       runs RULE_INIT, then EVENT with [LB::server pool] = POOL (may be "") and
#       [active_members POOL] = ACTIVE; prints one line per fact:
#         static NAME VALUE          (after RULE_INIT)
#         call COMMAND ARGS...       (each stubbed BIG-IP command called in EVENT)
#         respond STATUS             (an HTTP::respond)
#         header NAME VALUE          (its headers, in order)
#         content LENGTH             (its content length in characters)
#         option NAME                (noserver)
#         logs N                     (log commands called, in every event run)
#         done
#
# A BIG-IP command not stubbed here, a write to a static:: variable outside RULE_INIT, a
# malformed HTTP::respond or an event declared twice is an error (exit code 1, message on stderr).

namespace eval static {}
namespace eval LB {}
namespace eval HTTP {}

set ::known_events {RULE_INIT CLIENT_ACCEPTED CLIENT_CLOSED HTTP_REQUEST HTTP_RESPONSE LB_SELECTED LB_FAILED
                    SERVER_CONNECTED}
set ::events {}
set ::order {}
set ::logs 0
set ::in_rule_init 0
set ::current_pool ""
set ::active 0

proc when {event args} {
    if {[lsearch -exact $::known_events $event] < 0} {
        error "unknown event $event"
    }
    if {[dict exists $::events $event]} {
        error "event $event declared twice"
    }
    if {[llength $args] == 1} {
        set body [lindex $args 0]
    } elseif {[llength $args] == 3 && [lindex $args 0] eq "priority" && [string is integer [lindex $args 1]]} {
        set body [lindex $args 2]
    } else {
        error "when $event: expected a body or 'priority N body'"
    }
    if {![info complete $body]} {
        error "when $event: the body is not complete TCL"
    }
    dict set ::events $event $body
    lappend ::order $event
}

proc emit {args} {
    puts [join $args " "]
}

proc active_members {args} {
    if {[llength $args] == 1} {
        set pool [lindex $args 0]
    } elseif {[llength $args] == 2 && [lindex $args 0] eq "-list"} {
        error "active_members -list is not stubbed"
    } else {
        error "active_members: expected a pool name"
    }
    emit call active_members $pool
    if {$pool ne $::current_pool || $pool eq ""} {
        error "active_members: no such pool '$pool'"
    }
    return $::active
}

proc LB::server {args} {
    if {$args ne "pool"} {
        error "LB::server $args is not stubbed"
    }
    emit call LB::server pool
    return $::current_pool
}

proc HTTP::respond {status args} {
    if {![string is integer -strict $status] || $status < 100 || $status > 599} {
        error "HTTP::respond: bad status '$status'"
    }
    emit respond $status
    set i 0
    while {$i < [llength $args]} {
        set word [lindex $args $i]
        if {$word eq "content"} {
            incr i
            if {$i >= [llength $args]} {
                error "HTTP::respond: content without a value"
            }
            emit content [string length [lindex $args $i]]
        } elseif {$word eq "noserver"} {
            emit option noserver
        } else {
            incr i
            if {$i >= [llength $args]} {
                error "HTTP::respond: header '$word' without a value"
            }
            emit header $word [lindex $args $i]
        }
        incr i
    }
}

proc log {args} {
    incr ::logs
}

proc guard_static {name1 name2 op} {
    if {!$::in_rule_init} {
        error "static variable $name1 written outside RULE_INIT"
    }
}

proc run_event {event} {
    if {![dict exists $::events $event]} {
        return
    }
    set before [lsort [info vars ::static::*]]
    # Each event body runs in its own scope, as iRule event variables are per connection.
    apply [list {} [dict get $::events $event]]
    set after [lsort [info vars ::static::*]]
    if {$event ne "RULE_INIT" && $before ne $after} {
        error "$event created static variables: $after"
    }
}

proc main {argv} {
    lassign $argv file mode event pool active
    set handle [open $file r]
    set text [read $handle]
    close $handle
    if {![info complete $text]} {
        error "$file is not complete TCL (unbalanced braces, brackets or quotes)"
    }
    # Only `when` blocks and comments at the top level.
    uplevel #0 $text
    rename unknown {}
    proc ::unknown {args} {
        error "command not stubbed (not a BIG-IP command this harness knows): [lindex $args 0]"
    }
    if {$mode eq "events"} {
        emit events {*}$::order
        return
    }
    if {$mode ne "run"} {
        error "mode must be events or run"
    }
    set ::in_rule_init 1
    run_event RULE_INIT
    set ::in_rule_init 0
    foreach name [lsort [info vars ::static::*]] {
        emit static [namespace tail $name] [string map {"\n" "\\n"} [set $name]]
        trace add variable $name write guard_static
    }
    set ::current_pool $pool
    set ::active $active
    run_event $event
    emit logs $::logs
    emit done
}

if {[catch {main $argv} message]} {
    puts stderr "irule harness: $message"
    exit 1
}
