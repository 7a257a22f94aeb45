namespace Workbench.Random;

/// <summary>
/// Parallel loops whose results do not depend on the thread count. Work is cut into fixed
/// chunks (the chunking depends only on the count and the chunk size, never on the threads),
/// and each chunk or entity draws from its own <see cref="RandomStream"/> derived from
/// (seed, stream id, index). Reductions combine per-chunk partial results in chunk order.
/// </summary>
public static class DeterministicParallel
{
    /// <summary>Default number of items per chunk.</summary>
    public const int DefaultChunk = 16_384;

    /// <summary>Validates a thread count: null means all cores; otherwise 1..1024.</summary>
    public static int ResolveThreads(int? threads)
    {
        if (threads is null) return Environment.ProcessorCount;
        if (threads < 1 || threads > 1024)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be between 1 and 1024.");
        return threads.Value;
    }

    /// <summary>Runs <paramref name="body"/>(start, end) over fixed chunks of [0, count).</summary>
    public static void ForChunks(long count, int threads, Action<long, long> body, int chunk = DefaultChunk, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunk, 1);
        long chunks = (count + chunk - 1) / chunk;
        if (threads <= 1 || chunks <= 1)
        {
            for (long c = 0; c < chunks; c++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                body(c * chunk, Math.Min(count, (c + 1) * chunk));
            }
            return;
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        Parallel.For(0L, chunks, options, c => body(c * chunk, Math.Min(count, (c + 1) * chunk)));
    }

    /// <summary>Maps each fixed chunk to a partial result, then folds the partials in chunk order (deterministic floating-point sums).</summary>
    public static TResult MapReduce<TPartial, TResult>(long count, int threads, Func<long, long, TPartial> map,
        TResult seed, Func<TResult, TPartial, TResult> fold, int chunk = DefaultChunk)
    {
        long chunks = (count + chunk - 1) / chunk;
        var partials = new TPartial[chunks];
        ForChunks(chunks, threads, (s, e) =>
        {
            for (long c = s; c < e; c++) partials[c] = map(c * chunk, Math.Min(count, (c + 1) * chunk));
        }, chunk: 1);
        var acc = seed;
        foreach (var p in partials) acc = fold(acc, p);
        return acc;
    }
}
