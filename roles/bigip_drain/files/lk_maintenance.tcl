# hatools.lifekeeper bigip_drain: the maintenance answer during a LifeKeeper switchover.
# Attached to the virtual server only while a switchover runs. When the virtual server's pool
# has no active member (every member disabled or marked down), clients get HTTP 503 with
# Retry-After instead of a reset; while a member is active the rule does nothing.
# Needs an HTTP profile on the virtual server (HTTP_REQUEST, HTTP::respond); the role checks it.
# After answering, `event disable all` and `return`: no later iRule event on this connection (of
# this or another iRule) may answer the same request again; the answer closes the connection.
# Local variables live for the whole connection and are shared with the virtual server's other
# iRules: ours start with lk_maint_.
# No logging (debug logging costs CPU on every request).
when RULE_INIT {
    # static:: values are set here only: RULE_INIT runs on every TMM, changes made in other
    # events would not be shared between TMMs.
    set static::lk_maint_retry_after 30
    set static::lk_maint_body {<!DOCTYPE html>
<html><head><title>503 Service Unavailable</title></head>
<body><h1>Service Unavailable</h1><p>The service is switching over to another server. Please retry in a moment.</p></body></html>}
}

when HTTP_REQUEST {
    set lk_maint_pool [LB::server pool]
    if { $lk_maint_pool ne "" && [active_members $lk_maint_pool] < 1 } {
        HTTP::respond 503 content $static::lk_maint_body noserver "Retry-After" $static::lk_maint_retry_after "Content-Type" "text/html; charset=utf-8" "Cache-Control" "no-store" "Connection" "close"
        event disable all
        return
    }
}

when LB_FAILED {
    set lk_maint_pool [LB::server pool]
    if { $lk_maint_pool ne "" && [active_members $lk_maint_pool] < 1 } {
        HTTP::respond 503 content $static::lk_maint_body noserver "Retry-After" $static::lk_maint_retry_after "Content-Type" "text/html; charset=utf-8" "Cache-Control" "no-store" "Connection" "close"
        event disable all
        return
    }
}
