using BenchmarkDotNet.Attributes;
using Workbench.Random;

namespace Workbench.Benchmarks;

/// <summary>Throughput of the counter-based generator and the main samplers (1M draws per operation).</summary>
[MemoryDiagnoser]
public class RandomBenchmarks
{
    private const int N = 1_000_000;

    [Benchmark] public double Uniform() { var r = new RandomStream(1, 0); double s = 0; for (int i = 0; i < N; i++) s += r.NextDouble(); return s; }
    [Benchmark] public double Normal() { var r = new RandomStream(1, 0); double s = 0; for (int i = 0; i < N; i++) s += r.Normal(); return s; }
    [Benchmark] public double Gamma() { var r = new RandomStream(1, 0); double s = 0; for (int i = 0; i < N; i++) s += r.Gamma(2.0); return s; }
    [Benchmark] public double Gumbel() { var r = new RandomStream(1, 0); double s = 0; for (int i = 0; i < N; i++) s += r.Gumbel(); return s; }
}
