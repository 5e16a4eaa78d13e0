//! Tuning of the C allocator for scans.
//!
//! A scan allocates and frees buffers of the same few sizes (hundreds of KiB per column per batch)
//! on every batch. By default glibc serves blocks from 128 KiB up with `mmap` and hands freed
//! memory at the top of a heap back to the kernel, so each batch faulted its pages in and zeroed
//! them again: on the benchmark that was a sixth of the profile's wall time, most of it system
//! time. With higher thresholds the pages stay with the process; peak memory grows by a few MiB
//! and still does not grow with the row count.

/// Blocks this large and larger are still served by `mmap`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: i32 = 64 << 20;
/// Free memory at the top of a heap is handed back to the kernel only beyond this.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: i32 = 256 << 20;

/// Sets the allocator up for scans; call once, first thing in `main`. Does nothing off glibc.
pub fn tune_for_scans() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters; called before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
    }
}
