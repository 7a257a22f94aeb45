using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Workbench.Experiments;

namespace Workbench.Benchmarks;

/// <summary>Each iteration is a whole sweep run as separate processes, as a scheduler would: no warm-up, two iterations.</summary>
public sealed class SweepConfig : ManualConfig
{
    public SweepConfig() => AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(0)
        .WithIterationCount(2).WithToolchain(InProcessEmitToolchain.Instance));
}

/// <summary>
/// Performance goals: per-shard overhead (process start, load and re-expand the plan, write the shard's Parquet and manifest
/// atomically) under 2 s; and the speed-up of a 200-replicate sweep on the classroom preset (50,000 voters, baseline and two
/// arms, FPTP and D'Hondt) split over 2 shards on this machine, each shard a separate `workbench sweep run` process.
/// Run: <c>dotnet run -c Release --project tests/Workbench.Benchmarks -- --filter '*Sweep*'</c>.
/// </summary>
[Config(typeof(SweepConfig))]
public class SweepBenchmarks
{
    private string _tiny = "", _big1 = "", _big2 = "";

    private static string Cli()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "Workbench.Cli.dll");
        return File.Exists(cli) ? cli : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "Workbench.Cli", "release", "Workbench.Cli.dll"));
    }

    private static string Plan(string json, int shards)
    {
        var dir = Path.Combine(Path.GetTempPath(), "wb-sweep-bench-" + Guid.NewGuid().ToString("N"));
        SweepPlan.Create(SweepSpec.Parse(json), shards).Write(dir);
        return dir;
    }

    [GlobalSetup]
    public void Setup()
    {
        // One item on a 1,000-voter electorate: what is left is the per-shard overhead.
        _tiny = Plan("""{ "base": { "electorate": { "preset": "classroom", "voters": 1000 }, "systems": [ { "name": "FPTP", "type": "fptp" } ], "campaigns": [ { "party": "Red", "budget": 800, "channels": ["canvass"] } ] }, "replicates": 1 }""", 1);
        const string big = """{ "base": "classroom", "replicates": 200, "seed": 7 }""";
        _big1 = Plan(big, 1);
        _big2 = Plan(big, 2);
    }

    [GlobalCleanup]
    public void Cleanup() { foreach (var d in new[] { _tiny, _big1, _big2 }) if (Directory.Exists(d)) Directory.Delete(d, true); }

    [IterationSetup]
    public void Reset()
    {
        foreach (var d in new[] { _tiny, _big1, _big2 })
            if (Directory.Exists(Path.Combine(d, "shards"))) { Directory.Delete(Path.Combine(d, "shards"), true); Directory.CreateDirectory(Path.Combine(d, "shards")); }
    }

    private static Process Start(string dir, int shard, int threads) =>
        Process.Start(new ProcessStartInfo("dotnet", [Cli(), "sweep", "run", dir, "--shard", shard.ToString(), "--threads", threads.ToString()]) { RedirectStandardError = true, RedirectStandardOutput = true })!;

    private static void Wait(params Process[] ps)
    {
        var outs = ps.Select(p => (p, err: p.StandardError.ReadToEndAsync(), o: p.StandardOutput.ReadToEndAsync())).ToArray();
        foreach (var (p, err, _) in outs) { p.WaitForExit(); if (p.ExitCode != 0) throw new InvalidOperationException(err.Result); p.Dispose(); }
    }

    /// <summary>One shard of one tiny item, as a process: start, load the plan, run, write atomically.</summary>
    [Benchmark]
    public void ShardOverhead() => Wait(Start(_tiny, 0, 1));

    /// <summary>200 replicates in one shard on one thread.</summary>
    [Benchmark]
    public void Classroom200_OneShard_OneThread() => Wait(Start(_big1, 0, 1));

    /// <summary>200 replicates in one shard using both cores.</summary>
    [Benchmark]
    public void Classroom200_OneShard_TwoThreads() => Wait(Start(_big1, 0, 2));

    /// <summary>200 replicates split over two shards running at once, one thread each (two array tasks on a 2-core node).</summary>
    [Benchmark]
    public void Classroom200_TwoShards_Concurrent() => Wait(Start(_big2, 0, 1), Start(_big2, 1, 1));
}
