using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Workbench.Electorate;

namespace Workbench.Benchmarks;

/// <summary>
/// Performance goal: 10M voters of the westminster-like preset in at most 1.5 s on 2 cores, at most
/// 100 bytes per voter resident. Run: <c>dotnet run -c Release --project tests/Workbench.Benchmarks -- --filter '*Electorate*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SlowConfig))]
public class ElectorateBenchmarks
{
    private readonly ElectorateSpec _spec = Electorates.Preset("westminster-like");

    [Params(1_000_000, 10_000_000)]
    public int Voters { get; set; }

    [Benchmark]
    public double Generate()
    {
        var e = Electorates.Generate(_spec, Voters, seed: 1, threads: 2);
        return e.BytesPerVoter();
    }
}

/// <summary>For benchmarks of seconds per operation: in process, one warm-up and three measured runs.</summary>
public sealed class SlowConfig : ManualConfig
{
    public SlowConfig() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1)
        .WithIterationCount(3).WithToolchain(InProcessEmitToolchain.Instance));
}
