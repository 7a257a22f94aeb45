#!/usr/bin/env bash
# Copied from shared/recipes/slurm-single-node.sh (the tested recipe) so a clean clone has it.
# A real single-node Slurm cluster on localhost, for tests of sharded sweeps (Debian 12, root, no systemd).
# Source it from a CI script: it installs Debian's Slurm 22.05 + munge, starts munged, slurmctld and slurmd
# as children of the calling shell, waits until the node is idle, and exports SLURM_CONF.
# Call slurm_stop when done (it kills exactly the daemons it started). Measured here: about 10-13 s from a
# clean machine, daemon start to idle in about 1.5 s, a 4-task array job in about 2-5 s.
# Gotchas it already handles: /run/munge is missing without systemd; munged must run as the munge user;
# proctrack/cgroup fails ("freezer not mounted") so linuxproc is used; no cgroup.conf at all (22.05 has no
# CgroupPlugin=disabled); the node is named localhost with NodeAddr 127.0.0.1 and `slurmd -N localhost`
# so an unresolvable hostname does not matter; MinJobAge=4 so `sbatch --wait` notices completion quickly;
# the node line comes from `slurmd -C` so CPUs and memory match the hardware (otherwise DRAIN).
# Not available: sacct (needs slurmdbd + MariaDB). Ports 6817/6818 are fixed: run one cluster at a time.
set -euo pipefail
SLURM_WORK=${SLURM_WORK:-$(mktemp -d)}
mkdir -p "$SLURM_WORK"/{state,spool,log}
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
SLURM_PIDS=()
slurm_stop() { for p in "${SLURM_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait "${SLURM_PIDS[@]}" 2>/dev/null || true; }
[ -s /etc/munge/munge.key ] || mungekey --create
chown munge:munge /etc/munge/munge.key; chmod 0400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge
setpriv --reuid=munge --regid=munge --init-groups munged -F >"$SLURM_WORK/log/munged.out" 2>&1 & SLURM_PIDS+=($!)
until munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; do sleep 0.1; done
cat >"$SLURM_WORK/slurm.conf" <<EOF
ClusterName=ci
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=$SLURM_WORK/state
SlurmdSpoolDir=$SLURM_WORK/spool
SlurmctldPidFile=$SLURM_WORK/slurmctld.pid
SlurmdPidFile=$SLURM_WORK/slurmd.pid
SlurmctldLogFile=$SLURM_WORK/log/slurmctld.log
SlurmdLogFile=$SLURM_WORK/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
MinJobAge=4
SchedulerParameters=batch_sched_delay=0
NodeName=localhost NodeHostname=localhost NodeAddr=127.0.0.1 $(slurmd -C | head -1 | cut -d' ' -f2-) State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$SLURM_WORK/slurm.conf"
slurmctld -D >"$SLURM_WORK/log/slurmctld.out" 2>&1 & SLURM_PIDS+=($!)
slurmd -D -N localhost >"$SLURM_WORK/log/slurmd.out" 2>&1 & SLURM_PIDS+=($!)
for _ in $(seq 60); do [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 0.5; done
[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] || { echo "slurm node not idle; see $SLURM_WORK/log" >&2; slurm_stop; exit 1; }
# Example: sbatch --array=0-3 --wait -o "%A_%a.log" --wrap 'echo $SLURM_ARRAY_TASK_ID > shard_$SLURM_ARRAY_TASK_ID.txt'
