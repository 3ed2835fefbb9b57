# Runs iRules under tclsh with stand-ins for the BIG-IP commands they may use.
#
#   tclsh irule_harness.tcl RULE_FILE... events
#       prints "events NAME..." per rule file (the `when` blocks declared, in order)
#   tclsh irule_harness.tcl RULE_FILE... run EVENTS POOL ACTIVE
#       runs every rule's RULE_INIT, then the events of ONE client connection in the order given
#       (EVENTS: one name or a comma-separated list, e.g. CLIENT_ACCEPTED,HTTP_REQUEST), with
#       [LB::server pool] = POOL (may be "") and [active_members POOL] = ACTIVE. The rule files are
#       the iRules of one virtual server in its list order; for each event their `when` blocks run
#       by priority (default 500, lower first), then list order. Prints one line per fact:
#         static NAME VALUE          (after RULE_INIT)
#         eval INDEX EVENT           (the rule file at INDEX, 0-based, runs its EVENT block)
#         call COMMAND ARGS...       (each stubbed BIG-IP command called in an event)
#         respond STATUS             (an HTTP::respond)
#         header NAME VALUE          (its headers, in order)
#         content LENGTH             (its content length in characters)
#         option NAME                (noserver)
#         logs N                     (log commands called, in every event run)
#         done
#
# Connection scope (F5: local variables of an iRule live as long as the client connection): the
# variables an event block sets are seen by the later events of the same connection, in every
# rule file of the virtual server; they are not reset between events. RULE_INIT has its own scope.
# `event disable` / `event NAME disable` / `event disable all` stop the later evaluation of that
# event / every event on this connection, in every rule file (the block that calls it runs on
# until it ends or calls `return`). A second HTTP::respond to the same request is an error, as on
# a BIG-IP (the response of the first one is already on its way).
#
# A BIG-IP command not stubbed here, a write to a static:: variable outside RULE_INIT, a
# malformed HTTP::respond, a second response to one request or an event declared twice in one
# rule is an error (exit code 1, message on stderr).

namespace eval static {}
namespace eval LB {}
namespace eval HTTP {}

set ::known_events {RULE_INIT CLIENT_ACCEPTED CLIENT_CLOSED HTTP_REQUEST HTTP_RESPONSE LB_SELECTED LB_FAILED
                    SERVER_CONNECTED}
# One dict per rule file: events (EVENT -> {priority body}), order (events in declaration order).
set ::rules {}
set ::loading -1
set ::logs 0
set ::in_rule_init 0
set ::current_pool ""
set ::active 0
# The connection: its variables (NAME -> {scalar VALUE} or {array LIST}), the events disabled on
# it ("all" for every event), the event running, whether the current request was answered.
set ::conn_vars {}
set ::disabled {}
set ::current_event ""
set ::responded 0

proc when {event args} {
    if {[lsearch -exact $::known_events $event] < 0} {
        error "unknown event $event"
    }
    set rule [lindex $::rules $::loading]
    if {[dict exists $rule events $event]} {
        error "event $event declared twice"
    }
    set priority 500
    if {[llength $args] == 1} {
        set body [lindex $args 0]
    } elseif {[llength $args] == 3 && [lindex $args 0] eq "priority" && [string is integer -strict [lindex $args 1]]} {
        set priority [lindex $args 1]
        set body [lindex $args 2]
    } else {
        error "when $event: expected a body or 'priority N body'"
    }
    if {![info complete $body]} {
        error "when $event: the body is not complete TCL"
    }
    dict set rule events $event [list $priority $body]
    dict lappend rule order $event
    lset ::rules $::loading $rule
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
    if {$::responded} {
        error "HTTP::respond: this request was already answered (a second response is an error on a BIG-IP)"
    }
    set ::responded 1
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

# event disable | event enable | event NAME disable|enable | event disable all | event enable all
proc event {args} {
    emit call event {*}$args
    if {$::current_event in {"" RULE_INIT}} {
        error "event: not valid in RULE_INIT"
    }
    switch -- [llength $args] {
        1 { lassign [list $::current_event [lindex $args 0]] name action }
        2 {
            if {[lindex $args 1] eq "all"} {
                lassign [list all [lindex $args 0]] name action
            } else {
                lassign $args name action
                if {[lsearch -exact $::known_events $name] < 0} {
                    error "event: unknown event '$name'"
                }
            }
        }
        default { error "event: expected 'event \[NAME\] disable|enable' or 'event disable|enable all'" }
    }
    if {$action eq "disable"} {
        if {$name ni $::disabled} {
            lappend ::disabled $name
        }
    } elseif {$action eq "enable"} {
        set ::disabled [lsearch -all -inline -not -exact $::disabled $name]
    } else {
        error "event: '$action' is not disable or enable"
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

# Runs one event block in a frame that holds the connection's variables, and keeps what the block
# leaves there for the next events of the connection. `return` ends the block only.
proc run_block {body keep} {
    # Through globals, so that the block's frame holds no harness variable while it runs.
    set ::harness_vars [expr {$keep ? $::conn_vars : {}}]
    set ::harness_block $body
    set kept [apply {{} {
        dict for {__harness_name __harness_saved} $::harness_vars {
            if {[lindex $__harness_saved 0] eq "array"} {
                array set $__harness_name [lindex $__harness_saved 1]
            } else {
                set $__harness_name [lindex $__harness_saved 1]
            }
        }
        unset -nocomplain __harness_name __harness_saved
        set __harness_code [catch {eval $::harness_block} __harness_result]
        if {$__harness_code == 1} {
            return -code error $__harness_result
        } elseif {$__harness_code > 2} {
            return -code error "invoked break or continue outside a loop"
        }
        set __harness_kept {}
        foreach __harness_name [info locals] {
            if {[string match __harness_* $__harness_name]} {
                continue
            }
            if {[array exists $__harness_name]} {
                dict set __harness_kept $__harness_name [list array [array get $__harness_name]]
            } else {
                dict set __harness_kept $__harness_name [list scalar [set $__harness_name]]
            }
        }
        return $__harness_kept
    }}]
    if {$keep} {
        set ::conn_vars $kept
    }
}

proc run_event {event} {
    set blocks {}
    set index 0
    foreach rule $::rules {
        if {[dict exists $rule events $event]} {
            lassign [dict get $rule events $event] priority body
            lappend blocks [list $priority $index $body]
        }
        incr index
    }
    if {$event eq "HTTP_REQUEST"} {
        set ::responded 0
    }
    set ::current_event $event
    # lsort is a merge sort (stable): equal priorities keep the list order.
    foreach block [lsort -integer -index 0 $blocks] {
        if {"all" in $::disabled || $event in $::disabled} {
            break
        }
        lassign $block priority index body
        set before [lsort [info vars ::static::*]]
        emit eval $index $event
        run_block $body [expr {$event ne "RULE_INIT"}]
        set after [lsort [info vars ::static::*]]
        if {$event ne "RULE_INIT" && $before ne $after} {
            error "$event created static variables: $after"
        }
    }
    set ::current_event ""
}

proc main {argv} {
    set mode_at -1
    foreach mode {events run} {
        set at [lsearch -exact $argv $mode]
        if {$at > 0 && ($mode_at < 0 || $at < $mode_at)} {
            set mode_at $at
        }
    }
    if {$mode_at < 1} {
        error "usage: irule_harness.tcl RULE_FILE... events|run EVENTS POOL ACTIVE"
    }
    set files [lrange $argv 0 [expr {$mode_at - 1}]]
    lassign [lrange $argv $mode_at end] mode events pool active
    foreach file $files {
        set handle [open $file r]
        set text [read $handle]
        close $handle
        if {![info complete $text]} {
            error "$file is not complete TCL (unbalanced braces, brackets or quotes)"
        }
        lappend ::rules [dict create events {} order {}]
        set ::loading [expr {[llength $::rules] - 1}]
        # Only `when` blocks and comments at the top level.
        uplevel #0 $text
    }
    rename unknown {}
    proc ::unknown {args} {
        error "command not stubbed (not a BIG-IP command this harness knows): [lindex $args 0]"
    }
    if {$mode eq "events"} {
        foreach rule $::rules {
            emit events {*}[dict get $rule order]
        }
        return
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
    foreach event [split $events ","] {
        if {[lsearch -exact $::known_events $event] < 0 || $event eq "RULE_INIT"} {
            error "run: '$event' is not a connection event ([lrange $::known_events 1 end])"
        }
        run_event $event
    }
    emit logs $::logs
    emit done
}

if {[catch {main $argv} message]} {
    puts stderr "irule harness: $message"
    exit 1
}
