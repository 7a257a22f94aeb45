using BenchmarkDotNet.Attributes;
using Workbench.Elections;
using Workbench.Random;

namespace Workbench.Benchmarks;

/// <summary>
/// Issue 3 goal: D'Hondt and Sainte-Laguë for 20 parties and 150 seats at ≥ 1,000,000 allocations/s
/// on one thread. Each benchmark operation performs 1,000 allocations over varied vote vectors, so
/// allocations/s = 1,000 / (mean time per operation).
/// </summary>
[MemoryDiagnoser]
public class ElectionsBenchmarks
{
    private long[][] _votes = [];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Workbench.Random.RandomStream(42, 0);
        _votes = new long[1000][];
        for (int k = 0; k < _votes.Length; k++)
        {
            _votes[k] = new long[20];
            for (int j = 0; j < 20; j++) _votes[k][j] = 1000 + (long)(rng.Exponential(1.0) * 500_000);
        }
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int DHondt()
    {
        int s = 0;
        foreach (var v in _votes) s += Apportion.Divisor(Method.DHondt, v, 150)[0];
        return s;
    }

    [Benchmark(OperationsPerInvoke = 1000)]
    public int SainteLague()
    {
        int s = 0;
        foreach (var v in _votes) s += Apportion.Divisor(Method.SainteLague, v, 150)[0];
        return s;
    }
}
