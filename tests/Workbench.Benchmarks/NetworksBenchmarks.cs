using BenchmarkDotNet.Attributes;
using Workbench.Networks;

namespace Workbench.Benchmarks;

/// <summary>
/// Issue 8 goals: Algorithmic Bias ≥ 6,000,000 interactions/s at 10k nodes (ER degree 10, ε 0.32,
/// γ 1), one thread. One operation = 10 steps = 100,000 interactions, so interactions/s = 1e5 / mean.
/// </summary>
[MemoryDiagnoser]
public class NetworksBenchmarks
{
    private Graph _g = null!;
    private double[] _x = [];

    [GlobalSetup]
    public void Setup() { _g = Graph.ErdosRenyi(10_000, 10, 1); _x = Opinions.Uniform(10_000, 1); }

    [Benchmark]
    public int AlgorithmicBias10k() =>
        Opinions.Run(OpinionModel.AlgorithmicBias, _g, _x, new OpinionParameters { Epsilon = 0.32, Gamma = 1, Steps = 10, Tolerance = 0, RecordEvery = 1000 }, 1).Steps;

    [Benchmark]
    public int HegselmannKrauseSweep10k() =>
        Opinions.Run(OpinionModel.HegselmannKrause, _g, _x, new OpinionParameters { Epsilon = 0.32, Steps = 1, Tolerance = 0, RecordEvery = 1000 }, 1, threads: 2).Steps;
}
