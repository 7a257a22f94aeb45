using System.Text.Json.Nodes;
using Workbench.Tables;

namespace Workbench.Experiments;

/// <summary>
/// The outcome of a sensitivity analysis: the design, each run's metric values, and the indices (Sobol' S1/ST with
/// intervals, or Morris μ/μ*/σ). Tables and the JSON summary are pure functions of these, so the same analysis gives the
/// same bytes whether it ran on one machine or as merged shards.
/// </summary>
public sealed class SensitivityResult
{
    /// <summary>Columns of the runs table that parameter names may not take.</summary>
    public static IReadOnlyList<string> FixedColumns { get; } = ["run", "block", "kind", "parameter"];

    internal SensitivityResult(SensitivityDesign design, IReadOnlyList<string> metrics, IReadOnlyList<double[]> outputs, IReadOnlyList<MetricSummary> summaries,
        IReadOnlyList<SobolIndex> sobol, IReadOnlyList<MorrisIndex> morris, int bootstrap, double confidence)
    {
        Design = design; Metrics = metrics; Outputs = outputs; MetricSummaries = summaries; Sobol = sobol; Morris = morris; Bootstrap = bootstrap; Confidence = confidence;
    }

    /// <summary>The design that was run.</summary>
    public SensitivityDesign Design { get; }
    /// <summary>Metric names, in output column order.</summary>
    public IReadOnlyList<string> Metrics { get; }
    /// <summary>Metric values of each run (run order).</summary>
    public IReadOnlyList<double[]> Outputs { get; }
    /// <summary>Mean, variance and undefined runs of each metric.</summary>
    public IReadOnlyList<MetricSummary> MetricSummaries { get; }
    /// <summary>Sobol' indices (metric-major, then parameter order); empty for Morris.</summary>
    public IReadOnlyList<SobolIndex> Sobol { get; }
    /// <summary>Morris statistics (metric-major, then parameter order); empty for Sobol.</summary>
    public IReadOnlyList<MorrisIndex> Morris { get; }
    /// <summary>Bootstrap resamples behind the Sobol' intervals.</summary>
    public int Bootstrap { get; }
    /// <summary>Coverage of the Sobol' intervals (e.g. 0.95).</summary>
    public double Confidence { get; }

    /// <summary>One row per run: run, block (Saltelli row or Morris trajectory), kind, the parameter it varies, each parameter's value, each metric's value.</summary>
    public ColumnTable RunsTable()
    {
        var d = Design; int n = d.Runs;
        var cols = new List<TableColumn>
        {
            new("run", Enumerable.Range(0, n).ToArray()), new("block", d.Block.ToArray()), new("kind", d.Kind.ToArray()),
            new("parameter", d.Varied.Select(i => i < 0 ? "" : d.Parameters[i].Name).ToArray()),
        };
        for (int p = 0; p < d.Parameters.Count; p++) cols.Add(new(d.Parameters[p].Name, d.Values.Select(v => v[p]).ToArray()));
        for (int m = 0; m < Metrics.Count; m++) cols.Add(new(Metrics[m], Outputs.Select(o => o[m]).ToArray()));
        return new ColumnTable(cols);
    }

    /// <summary>One row per metric and parameter: S1, its interval, ST, its interval (Sobol); or μ, μ*, σ (Morris).</summary>
    public ColumnTable IndicesTable()
    {
        if (Design.Method == SensitivityMethod.Sobol)
            return new ColumnTable([
                new("metric", Sobol.Select(s => s.Metric).ToArray()), new("parameter", Sobol.Select(s => s.Parameter).ToArray()),
                new("S1", Sobol.Select(s => s.S1).ToArray()), new("S1Low", Sobol.Select(s => s.S1Low).ToArray()), new("S1High", Sobol.Select(s => s.S1High).ToArray()),
                new("ST", Sobol.Select(s => s.ST).ToArray()), new("STLow", Sobol.Select(s => s.STLow).ToArray()), new("STHigh", Sobol.Select(s => s.STHigh).ToArray()),
            ]);
        return new ColumnTable([
            new("metric", Morris.Select(s => s.Metric).ToArray()), new("parameter", Morris.Select(s => s.Parameter).ToArray()),
            new("mu", Morris.Select(s => s.Mu).ToArray()), new("muStar", Morris.Select(s => s.MuStar).ToArray()), new("sigma", Morris.Select(s => s.Sigma).ToArray()),
        ]);
    }

    /// <summary>The JSON summary: method, sizes, seed, parameters with their ranges, and per metric its mean, variance and indices (undefined values as null).</summary>
    public JsonObject Summary()
    {
        var d = Design;
        var metrics = new JsonArray();
        foreach (var ms in MetricSummaries)
        {
            var indices = new JsonArray();
            if (d.Method == SensitivityMethod.Sobol)
                foreach (var s in Sobol.Where(s => s.Metric == ms.Metric))
                    indices.Add(new JsonObject
                    {
                        ["parameter"] = s.Parameter, ["S1"] = Num(s.S1), ["S1Interval"] = new JsonArray(Num(s.S1Low), Num(s.S1High)),
                        ["ST"] = Num(s.ST), ["STInterval"] = new JsonArray(Num(s.STLow), Num(s.STHigh)),
                    });
            else
                foreach (var s in Morris.Where(s => s.Metric == ms.Metric))
                    indices.Add(new JsonObject { ["parameter"] = s.Parameter, ["mu"] = Num(s.Mu), ["muStar"] = Num(s.MuStar), ["sigma"] = Num(s.Sigma) });
            metrics.Add(new JsonObject
            {
                ["metric"] = ms.Metric, ["mean"] = Num(ms.Mean), ["variance"] = Num(ms.Variance), ["undefinedRuns"] = ms.Undefined,
                ["note"] = ms.Undefined > 0 ? $"undefined in {ms.Undefined} of {d.Runs} runs, so no indices; choose a metric defined everywhere." :
                           ms.Variance == 0 ? "constant over the runs, so no indices: no parameter moves it within these ranges." : null,
                ["indices"] = indices,
            });
        }
        var summary = new JsonObject
        {
            ["method"] = d.Method == SensitivityMethod.Sobol ? "sobol" : "morris", ["samples"] = d.Samples, ["runs"] = d.Runs, ["seed"] = d.Seed,
        };
        if (d.Method == SensitivityMethod.Sobol) { summary["bootstrap"] = Bootstrap; summary["confidence"] = Confidence; }
        else { summary["levels"] = d.Levels; summary["delta"] = Num(d.Levels / (2.0 * (d.Levels - 1))); }
        summary["parameters"] = new JsonArray(d.Parameters.Select(p => (JsonNode?)new JsonObject
        {
            ["name"] = p.Name, ["path"] = p.Path, ["low"] = p.Low, ["high"] = p.High,
            ["distribution"] = p.Distribution == SensitivityDistribution.LogUniform ? "loguniform" : "uniform", ["integer"] = p.Integer, ["comment"] = p.Comment,
        }).ToArray());
        summary["metrics"] = metrics;
        return summary;
    }

    /// <summary>The charts of every metric that has indices (defined in every run, not constant): Sobol' bars with intervals, or Morris tornadoes (<see cref="Charts.SobolIndices"/>, <see cref="Charts.MorrisScreening"/>).</summary>
    public IEnumerable<(string Metric, Plotly.NET.GenericChart Chart)> Charts() =>
        MetricSummaries.Where(s => s.Undefined == 0 && s.Variance > 0).Select(s => s.Metric)
            .Select(m => (m, Design.Method == SensitivityMethod.Sobol ? Experiments.Charts.SobolIndices(this, m) : Experiments.Charts.MorrisScreening(this, m)));

    /// <summary>Writes runs.csv, runs.parquet, indices.csv, indices.parquet, summary.json (plus <paramref name="extra"/> fields in the summary) and chart.html (the metrics with indices; summary.json says why any other has none), each atomically.</summary>
    public void Write(string directory, JsonObject? extra = null)
    {
        Directory.CreateDirectory(directory);
        var runs = RunsTable(); var indices = IndicesTable();
        runs.WriteParquet(Path.Combine(directory, "runs.parquet"));
        AtomicFile.WriteAllText(Path.Combine(directory, "runs.csv"), runs.ToCsv());
        indices.WriteParquet(Path.Combine(directory, "indices.parquet"));
        AtomicFile.WriteAllText(Path.Combine(directory, "indices.csv"), indices.ToCsv());
        var summary = Summary();
        if (extra is not null) foreach (var (key, value) in extra) summary[key] = value?.DeepClone();
        AtomicFile.WriteAllText(Path.Combine(directory, "summary.json"), summary.ToJsonString(SweepPlan.Pretty) + "\n");
        string title = $"Sensitivity analysis ({summary["method"]}, {Design.Runs} runs)" + (extra?["scenario"] is JsonNode sc ? $" of {sc}" : "");
        AtomicFile.WriteAllText(Path.Combine(directory, "chart.html"), Experiments.Charts.Page(title, Charts()));
    }

    private static JsonNode? Num(double v) => double.IsFinite(v) ? JsonValue.Create(Math.Round(v, 10)) : null;
}
