"""Which commands a LifeKeeper generation installs in $LKROOT/bin (the shared LifeKeeper CLI notes)."""

COMMON_COMMANDS = (
    "lkstart", "lkstop", "lcdstatus", "perform_action", "lkbackup", "lksupport", "rmlk",
    "lkkeyins", "lktest", "ins_list", "eqv_list", "sys_list", "net_list",
    "mirror_action", "mirror_status",
)
LKCLI_COMMANDS = ("lkcli",)


def major(version):
    return int(str(version).split(".", 1)[0])


def generation(version):
    """'9.x' style generation label of a version string ('8.4.1' -> '8')."""
    return str(major(version))


def commands_for(version):
    """The command names installed by steeleye-lk of this version."""
    if major(version) >= 9:
        return COMMON_COMMANDS + LKCLI_COMMANDS
    return COMMON_COMMANDS
