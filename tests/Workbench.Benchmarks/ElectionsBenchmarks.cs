using BenchmarkDotNet.Attributes;
using Workbench.Elections;
using Workbench.Random;

namespace Workbench.Benchmarks;

/// <summary>
/// Performance goal: D'Hondt and Sainte-Laguë for 20 parties and 150 seats at ≥ 1,000,000 allocations/s
/// on one thread. Each benchmark operation performs 1,000 allocations over varied vote vectors, so
/// allocations/s = 1,000 / (mean time per operation). The <c>*Million*</c> cases allocate 1,000 seats among
/// 1,000,000 parties in one operation (the party limit, <see cref="ElectionLimits.MaxParties"/>; goal well under 5 s).
/// </summary>
[MemoryDiagnoser]
public class ElectionsBenchmarks
{
    private long[][] _votes = [];
    private long[] _million = [];

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
        _million = new long[ElectionLimits.MaxParties];
        for (int j = 0; j < _million.Length; j++) _million[j] = 1 + (long)(rng.Exponential(1.0) * 1_000_000);
    }

    [Benchmark]
    public int DHondtMillionParties() => Apportion.Divisor(Method.DHondt, _million, 1000)[0];

    [Benchmark]
    public int SainteLagueMillionParties() => Apportion.Divisor(Method.SainteLague, _million, 1000)[0];

    [Benchmark]
    public int HareMillionParties() => Apportion.LargestRemainder(Method.Hare, _million, 1000)[0];

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
