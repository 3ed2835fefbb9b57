"""bigip: a small iControl REST look-alike of an F5 BIG-IP (LTM) for the collection's tests.

Standard-library Python only. It answers what f5networks.f5_modules (bigip_pool_member,
bigip_irule, bigip_virtual_server) and the bigip_drain role ask over HTTPS, and records every
change it makes as JSON lines. See README.md (how to run it) and ASSUMPTIONS.md (every
behaviour not taken from F5's documentation).
"""
