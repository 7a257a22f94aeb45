using System.Runtime.InteropServices;

namespace Workbench.Electorate;

/// <summary>
/// Allocation of the electorate's large columns. A 10M-voter electorate writes about 750 MB of fresh memory, and on
/// Linux every first touch of a 4 KiB page is a kernel fault that also zeroes the page: measured on the 2-core CI VM,
/// faulting in 780 MB took 2.5–3.4 s with 4 KiB pages and 1.55 s when the range was advised for transparent huge
/// pages. Large columns are therefore allocated uninitialised on the pinned object heap (so their addresses never
/// change) and, on Linux, advised with madvise(MADV_HUGEPAGE) before they are written. Where the advice is not
/// available (other systems, THP disabled) it is skipped: contents never depend on it, only the time to fault in.
/// </summary>
internal static partial class Columns
{
    private const int MadvHugePage = 14;
    private const long HugePage = 2L << 20;

    /// <summary>An uninitialised array of <paramref name="length"/> elements; large ones advised for huge pages.</summary>
    public static T[] Allocate<T>(int length) where T : unmanaged
    {
        long bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (bytes < 4 * HugePage || !OperatingSystem.IsLinux()) return GC.AllocateUninitializedArray<T>(length);
        var array = GC.AllocateUninitializedArray<T>(length, pinned: true);
        unsafe
        {
            fixed (T* p = array)
            {
                long start = ((long)p + HugePage - 1) & ~(HugePage - 1), end = ((long)p + bytes) & ~(HugePage - 1);
                if (end > start)
                {
                    try { _ = Madvise((nint)start, (nuint)(end - start), MadvHugePage); }
                    catch (DllNotFoundException) { } // no libc to ask: the pages stay small
                    catch (EntryPointNotFoundException) { }
                }
            }
        }
        return array;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
