using BenchmarkDotNet.Attributes;
using Workbench.Experiments;

namespace Workbench.Benchmarks;

/// <summary>
/// Performance goal: one replicate of the westminster-like preset at 1M voters with two campaigns under
/// two systems in under 10 s on 2 cores (electorate generation included), and the scaling from 100k
/// to 10M voters. Run: <c>dotnet run -c Release --project tests/Workbench.Benchmarks -- --filter '*Campaign*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SlowConfig))]
public class CampaignBenchmarks
{
    private const string Json = """
        { "name": "benchmark", "electorate": { "preset": "westminster-like", "voters": 1000000 }, "regime": "uk-like",
          "systems": [ { "name": "FPTP", "type": "fptp" }, { "name": "D'Hondt", "type": "list", "method": "dhondt" } ],
          "campaigns": [
            { "party": "Red", "budget": 750000, "strategy": "microtarget", "channels": ["canvass", "phone", "paid-social", "direct-mail"] },
            { "party": "Blue", "budget": 750000, "strategy": "microtarget", "optimiseFor": "D'Hondt", "channels": ["canvass", "paid-social", "tv"] } ],
          "replicates": 1, "seed": 1 }
        """;

    [Params(100_000, 1_000_000, 10_000_000)]
    public int Voters { get; set; }

    [Benchmark]
    public int OneReplicate() => Simulation.Run(Scenario.Parse(Json).With(voters: Voters), threads: 2).Rows.Count;
}
