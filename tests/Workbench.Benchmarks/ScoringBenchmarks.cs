using BenchmarkDotNet.Attributes;
using Workbench.Data;
using Workbench.Electorate;
using Workbench.Scoring;

namespace Workbench.Benchmarks;

/// <summary>
/// Performance goal: scoring 1M voters under the UK-like regime end to end (electorate, features, poll,
/// support/turnout/uplift models, scoring every voter, segments) in under 60 s on 2 cores.
/// Run: <c>dotnet run -c Release --project tests/Workbench.Benchmarks -- --filter '*Scoring*'</c>.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(SlowConfig))]
public class ScoringBenchmarks
{
    [Params(1_000_000)]
    public int Voters { get; set; }

    [Benchmark]
    public double EndToEnd()
    {
        var e = Electorates.Generate("classroom", Voters, seed: 1, threads: 2);
        return Scorer.Score(e, DataRegime.Preset("uk-like"), null, 1).Support.Auc;
    }
}
