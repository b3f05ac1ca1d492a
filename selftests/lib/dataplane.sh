# SPDX-License-Identifier: GPL-2.0
#
# COMPAT: the data-plane helpers are in topology.sh.  This file is sourced
# only by the scripts not yet moved to it (churn.sh, unload_cycles.sh) and
# goes with them.
. "$(dirname "${BASH_SOURCE[0]}")/topology.sh"
