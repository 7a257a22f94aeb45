using System.Globalization;

namespace Workbench.Cli;

/// <summary>
/// The resource limits of the commands (docs/limits.md), checked before any work starts: fixed caps on sizes given by flags,
/// and an estimate of the memory a request needs, refused when it exceeds what this process may use
/// (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>: the machine's memory, or the container's or
/// <c>DOTNET_GCHeapHardLimit</c>'s limit when lower). The per-voter and per-node figures were measured as peak resident memory
/// (GNU time's maximum resident set size) on the shipped presets, rounded up.
/// </summary>
internal static class Limits
{
    /// <summary>
    /// Most voters an electorate may have (<c>electorate --voters</c>), for specs of up to 8 issues; see <see cref="MaxVotersFor"/>:
    /// the per-voter columns with several values per voter (seven media, one per issue) must stay below .NET's largest array.
    /// </summary>
    public const int MaxElectorateVoters = 250_000_000;

    /// <summary>Most voters of an electorate with <paramref name="issues"/> issues: <see cref="MaxElectorateVoters"/>, or <see cref="Array.MaxLength"/> / issues when that is smaller.</summary>
    public static int MaxVotersFor(int issues) => Math.Min(MaxElectorateVoters, Array.MaxLength / Math.Max(8, issues));

    /// <summary>Resident bytes per voter of an electorate with <paramref name="issues"/> issues: <see cref="ElectorateBytesPerVoter"/> for up to four, plus a position and a salience (two half-precision values) per further issue.</summary>
    public static long ElectorateBytesFor(int issues) => ElectorateBytesPerVoter + 4L * Math.Max(0, issues - 4);
    /// <summary>Most voters per electorate of a simulation, lab, archive, score or area analysis (<c>--voters</c>).</summary>
    public const int MaxSimulationVoters = 50_000_000;
    /// <summary>Fewest voters of a simulation, lab or archive.</summary>
    public const int MinSimulationVoters = 1000;
    /// <summary>Most nodes of an opinion-dynamics graph (<c>opinion --nodes</c>).</summary>
    public const int MaxNodes = 100_000_000;

    /// <summary>Memory the runtime and the libraries take before any work (measured: about 60–80 MB).</summary>
    public const long BaseBytes = 100L << 20;
    /// <summary>Resident bytes per voter of a generated electorate with up to four issues (measured 75–80 on the presets, which have four).</summary>
    public const long ElectorateBytesPerVoter = 90;
    /// <summary>Bytes per voter of the Parquet writer's row-group buffers (one row group is a million voters: its column slices and encoded chunks, reused for every row group; measured about 200 MB).</summary>
    public const long ParquetBytesPerVoter = 256;
    /// <summary>Peak bytes per voter of a simulation with one worker (measured about 750: the electorate, data regime, scores, contacts and ballots).</summary>
    public const long SimulationBytesPerVoter = 800;
    /// <summary>Extra bytes per voter for each further replicate running at once (measured about 150).</summary>
    public const long SimulationBytesPerVoterPerWorker = 200;
    /// <summary>Peak bytes per voter of <c>score</c> (measured about 700: the electorate, the observed data and the ML.NET training views).</summary>
    public const long ScoringBytesPerVoter = 800;
    /// <summary>Bytes per node of an opinion run (opinions, metrics, adjacency offsets).</summary>
    public const long NodeBytes = 40;
    /// <summary>Bytes per directed edge of a graph (an adjacency entry plus construction buffers).</summary>
    public const long EdgeBytes = 12;

    /// <summary>The memory this process may use, in bytes.</summary>
    public static long AvailableBytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Throws a usage error naming <paramref name="request"/>, the estimate and the limit when <paramref name="bytes"/> exceeds the available memory.</summary>
    public static void CheckMemory(string request, long bytes, string remedy)
    {
        long available = AvailableBytes;
        if (bytes > available)
            throw new UsageException($"{request} needs about {Size(bytes)} of memory; this machine allows {Size(available)} (GC limit). {remedy}");
    }

    /// <summary>Checks a voter count against a fixed cap and the memory estimate <paramref name="bytesPerVoter"/> × voters (+ <paramref name="extraBytes"/>).</summary>
    public static void CheckVoters(string flag, long voters, int min, int max, long bytesPerVoter, long extraBytes = 0)
    {
        long bytes = Estimate(voters, bytesPerVoter, extraBytes);
        if (voters < min || voters > max)
            throw new UsageException($"{flag} must be between {min.ToString("N0", CultureInfo.InvariantCulture)} and {max.ToString("N0", CultureInfo.InvariantCulture)}; got {voters.ToString(CultureInfo.InvariantCulture)}" +
                (voters > max ? $" (it would need about {Size(bytes)} of memory; this machine allows {Size(AvailableBytes)})." : "."));
        long fit = Math.Max(0, (AvailableBytes - BaseBytes - extraBytes) / Math.Max(1, bytesPerVoter));
        CheckMemory($"{flag} {voters.ToString(CultureInfo.InvariantCulture)}", bytes, fit >= min
            ? $"Use at most about {fit.ToString("N0", CultureInfo.InvariantCulture)} voters, or a machine with more memory."
            : "This machine has too little memory for even the smallest such request.");
    }

    /// <summary><see cref="BaseBytes"/> + <paramref name="count"/> × <paramref name="perItem"/> + <paramref name="extra"/>, saturating instead of overflowing.</summary>
    public static long Estimate(long count, long perItem, long extra = 0)
    {
        double b = BaseBytes + (double)count * perItem + extra;
        return b >= long.MaxValue ? long.MaxValue : (long)b;
    }

    /// <summary>A byte count for people: "1.5 GB".</summary>
    public static string Size(long bytes) =>
        bytes >= 1L << 30 ? (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB"
        : (bytes / (double)(1L << 20)).ToString("0", CultureInfo.InvariantCulture) + " MB";
}
