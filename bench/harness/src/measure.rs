//! What the harness reads about a process (CPU time, peak memory) and where
//! processes run (CPU pinning).

use std::io;

/// Clock ticks per second, the unit of `utime`/`stime` in `/proc/PID/stat`.
pub fn clock_ticks_per_sec() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as u64 } else { 100 }
}

/// One reading of a process's CPU time.
#[derive(Debug, Clone, Copy)]
pub struct CpuReading {
    /// `utime + stime` from `/proc/PID/stat`, in clock ticks.
    pub ticks: u64,
    /// The process's CPU clock (`clock_getcpuclockid`), in nanoseconds, when readable.
    pub nanos: Option<u64>,
}

impl CpuReading {
    /// Reads the CPU time of `pid` (all its threads, live and exited).
    pub fn of(pid: u32) -> io::Result<Self> {
        Ok(Self {
            ticks: stat_ticks(pid)?,
            nanos: cpu_clock_nanos(pid).ok(),
        })
    }

    /// Reads the CPU time of this process.
    pub fn own() -> io::Result<Self> {
        Self::of(std::process::id())
    }
}

/// CPU used between two readings.
#[derive(Debug, Clone, Copy)]
pub struct CpuDelta {
    /// Microseconds from `/proc/PID/stat` (multiple of one tick, usually 10 ms).
    pub stat_us: f64,
    /// Microseconds from the nanosecond CPU clock, when both readings had it.
    pub clock_us: Option<f64>,
}

impl CpuDelta {
    /// The CPU used from `before` to `after`.
    pub fn between(before: CpuReading, after: CpuReading) -> Self {
        let tick_us = 1e6 / clock_ticks_per_sec() as f64;
        Self {
            stat_us: after.ticks.saturating_sub(before.ticks) as f64 * tick_us,
            clock_us: match (before.nanos, after.nanos) {
                (Some(b), Some(a)) => Some(a.saturating_sub(b) as f64 / 1e3),
                _ => None,
            },
        }
    }
}

/// `utime + stime` of `pid` in clock ticks, from `/proc/PID/stat`.
pub fn stat_ticks(pid: u32) -> io::Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name (field 2) may hold spaces: fields are counted after its ')'.
    let rest = stat
        .rfind(')')
        .map(|end| &stat[end + 1..])
        .ok_or_else(|| io::Error::other("malformed /proc/PID/stat"))?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // After ')', index 0 is field 3 (state): utime is field 14, stime field 15.
    let field = |n: usize| -> io::Result<u64> {
        fields
            .get(n - 3)
            .and_then(|f| f.parse().ok())
            .ok_or_else(|| io::Error::other(format!("no field {n} in /proc/PID/stat")))
    };
    Ok(field(14)? + field(15)?)
}

/// The CPU clock of `pid` in nanoseconds (`clock_getcpuclockid` + `clock_gettime`).
pub fn cpu_clock_nanos(pid: u32) -> io::Result<u64> {
    let mut clock: libc::clockid_t = 0;
    // SAFETY: `clock` is a valid out-pointer.
    let rc = unsafe { libc::clock_getcpuclockid(pid as libc::pid_t, &mut clock) };
    if rc != 0 {
        return Err(io::Error::from_raw_os_error(rc));
    }
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid out-pointer.
    if unsafe { libc::clock_gettime(clock, &mut now) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64)
}

/// Busy time of one CPU since boot, in clock ticks (`/proc/stat`: user, nice,
/// system, irq, softirq, steal).
pub fn cpu_busy_ticks(cpu: usize) -> io::Result<u64> {
    let stat = std::fs::read_to_string("/proc/stat")?;
    let name = format!("cpu{cpu}");
    let line = stat
        .lines()
        .find(|line| line.split_whitespace().next() == Some(name.as_str()))
        .ok_or_else(|| io::Error::other(format!("no {name} in /proc/stat")))?;
    let fields: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let field = |i: usize| fields.get(i).copied().unwrap_or(0);
    // user nice system idle iowait irq softirq steal
    Ok(field(0) + field(1) + field(2) + field(5) + field(6) + field(7))
}

/// Busy ticks of the server's and the load generator's CPUs.
#[derive(Debug, Clone, Copy)]
pub struct CoreBusy {
    /// The server CPU's busy ticks.
    pub server: u64,
    /// The load generator CPU's busy ticks.
    pub client: u64,
}

impl CoreBusy {
    /// Reads both CPUs (`None` when not pinned).
    pub fn read(pinning: &Pinning) -> Option<CoreBusy> {
        Some(CoreBusy {
            server: cpu_busy_ticks(pinning.server_cpu?).ok()?,
            client: cpu_busy_ticks(pinning.client_cpu?).ok()?,
        })
    }
}

/// Peak resident set size (`VmHWM` in `/proc/PID/status`), in KiB.
pub fn peak_rss_kib(pid: u32) -> io::Result<u64> {
    status_kib(pid, "VmHWM")
}

/// Resident set size now (`VmRSS` in `/proc/PID/status`), in KiB.
pub fn rss_kib(pid: u32) -> io::Result<u64> {
    status_kib(pid, "VmRSS")
}

/// A `kB` field of `/proc/PID/status`.
fn status_kib(pid: u32, field: &str) -> io::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| io::Error::other(format!("no {field} in /proc/PID/status")))
}

/// Which CPUs the servers and the load generator run on.
#[derive(Debug, Clone)]
pub struct Pinning {
    /// The CPUs this process could use at start, in order.
    pub allowed: Vec<usize>,
    /// The CPU servers are pinned to (`None`: not pinned).
    pub server_cpu: Option<usize>,
    /// The CPU the load generator is pinned to (`None`: not pinned).
    pub client_cpu: Option<usize>,
}

impl Pinning {
    /// Picks the first allowed CPU for servers and the second for the load
    /// generator; pins nothing when fewer than two CPUs are allowed or
    /// `enabled` is false.
    pub fn detect(enabled: bool) -> io::Result<Self> {
        let allowed = allowed_cpus()?;
        let (server_cpu, client_cpu) = if enabled && allowed.len() >= 2 {
            (Some(allowed[0]), Some(allowed[1]))
        } else {
            (None, None)
        };
        Ok(Self {
            allowed,
            server_cpu,
            client_cpu,
        })
    }

    /// Pins the calling thread (and the threads it starts later) to the load
    /// generator's CPU.
    pub fn pin_this_thread_as_client(&self) -> io::Result<()> {
        match self.client_cpu {
            Some(cpu) => set_this_thread_affinity(&[cpu]),
            None => Ok(()),
        }
    }

    /// Makes `command` start on the server CPU.
    pub fn apply_server(&self, command: &mut tokio::process::Command) {
        if let Some(cpu) = self.server_cpu {
            restrict_child(command, vec![cpu]);
        }
    }

    /// Makes `command` start on every CPU this process was allowed at start
    /// (undoing the load generator's pinning, which children inherit).
    pub fn apply_all(&self, command: &mut tokio::process::Command) {
        if self.client_cpu.is_some() {
            restrict_child(command, self.allowed.clone());
        }
    }
}

/// The CPUs the calling thread may run on.
pub fn allowed_cpus() -> io::Result<Vec<usize>> {
    // SAFETY: an all-zero cpu_set_t is a valid empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is a valid cpu_set_t of the size passed.
    let rc = unsafe { libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &mut set) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    let max = 8 * size_of::<libc::cpu_set_t>();
    // SAFETY: every index is below the set's capacity.
    Ok((0..max)
        .filter(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) })
        .collect())
}

fn cpu_set(cpus: &[usize]) -> libc::cpu_set_t {
    // SAFETY: an all-zero cpu_set_t is a valid empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    for &cpu in cpus {
        // SAFETY: CPU_SET ignores indices past the set's capacity.
        unsafe { libc::CPU_SET(cpu, &mut set) };
    }
    set
}

fn set_this_thread_affinity(cpus: &[usize]) -> io::Result<()> {
    let set = cpu_set(cpus);
    // SAFETY: `set` is a valid cpu_set_t of the size passed; pid 0 is this thread.
    let rc = unsafe { libc::sched_setaffinity(0, size_of::<libc::cpu_set_t>(), &set) };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

fn restrict_child(command: &mut tokio::process::Command, cpus: Vec<usize>) {
    let set = cpu_set(&cpus);
    // SAFETY: the closure only makes one async-signal-safe system call.
    unsafe {
        command.pre_exec(move || {
            if libc::sched_setaffinity(0, size_of::<libc::cpu_set_t>(), &set) == 0 {
                Ok(())
            } else {
                Err(io::Error::last_os_error())
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_its_own_process() {
        let before = CpuReading::own().unwrap();
        let mut x = 0u64;
        for i in 0..5_000_000u64 {
            x = x.wrapping_add(std::hint::black_box(i));
        }
        std::hint::black_box(x);
        let delta = CpuDelta::between(before, CpuReading::own().unwrap());
        assert!(delta.clock_us.unwrap() > 0.0);
        assert!(peak_rss_kib(std::process::id()).unwrap() > 0);
        assert!(!allowed_cpus().unwrap().is_empty());
    }
}
