using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Workbench.Networks;
using Workbench.Tables;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench opinion --model deffuant|hk|algorithmic-bias|degroot|voter --graph erdos-renyi|watts-strogatz|barabasi-albert|complete
/// --nodes N --degree K [--epsilon E] [--gamma G] [--mu M] --steps S --seed X [--threads T] [--out DIR]</c>.
/// </summary>
internal sealed class OpinionCommand : CliCommand
{
    private static Workbench.Electorate.ElectorateSpec PresetOrThrow(string name) =>
        Workbench.Electorate.ElectorateSpec.PresetNames.Contains(name) ? Workbench.Electorate.ElectorateSpec.Preset(name)
            : throw new UsageException($"--preset: unknown preset '{name}'; known: {string.Join(", ", Workbench.Electorate.ElectorateSpec.PresetNames)}.");

    public override Command Build()
    {
        var model = new Option<string>("--model") { Description = "deffuant | hk | algorithmic-bias | degroot | voter", Required = true };
        var graph = new Option<string>("--graph") { Description = "erdos-renyi | watts-strogatz | barabasi-albert | complete | electorate (the layered social graph of a generated electorate; --nodes voters)", Required = true };
        var preset = new Option<string>("--preset") { Description = "Electorate preset for --graph electorate (default classroom).", DefaultValueFactory = _ => "classroom" };
        var nodes = new Option<int>("--nodes") { Description = "Number of nodes.", Required = true };
        var degree = new Option<int>("--degree") { Description = "Mean degree (ER, WS: k; BA: 2m).", DefaultValueFactory = _ => 10 };
        var epsilon = new Option<double>("--epsilon") { Description = "Confidence bound ε.", DefaultValueFactory = _ => 0.32 };
        var gamma = new Option<double>("--gamma") { Description = "Algorithmic bias γ.", DefaultValueFactory = _ => 0.0 };
        var mu = new Option<double>("--mu") { Description = "Convergence parameter μ.", DefaultValueFactory = _ => 0.5 };
        var steps = new Option<int>("--steps") { Description = "Steps (asynchronous: N interactions each).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed.", Required = true };
        var threads = new Option<int?>("--threads") { Description = "Threads for synchronous models (results do not depend on it)." };
        var dimensions = new Option<int>("--dimensions") { Description = "Issue dimensions (1 = the classic models; more: opinions in [0,1]^D, Euclidean distance).", DefaultValueFactory = _ => 1 };
        var outDir = new Option<string?>("--out") { Description = "Write the time series (timeseries.csv) and final opinions (opinions.csv) here." };
        var cmd = new Command("opinion", "Run opinion dynamics (Deffuant, Hegselmann–Krause, algorithmic bias, DeGroot, voter) on a graph; print final metrics as JSON.")
        {
            model, graph, preset, nodes, degree, epsilon, gamma, mu, steps, seed, threads, dimensions, outDir,
        };
        cmd.SetAction(parse =>
        {
            var m = parse.GetValue(model) switch
            {
                "deffuant" => OpinionModel.Deffuant, "hk" => OpinionModel.HegselmannKrause, "algorithmic-bias" => OpinionModel.AlgorithmicBias,
                "degroot" => OpinionModel.DeGroot, "voter" => OpinionModel.Voter,
                var other => throw new UsageException($"--model: unknown model '{other}'; expected deffuant, hk, algorithmic-bias, degroot or voter."),
            };
            int n = parse.GetValue(nodes), k = parse.GetValue(degree);
            string graphName = parse.GetValue(graph)!;
            if (graphName is not ("erdos-renyi" or "watts-strogatz" or "barabasi-albert" or "complete" or "electorate"))
                throw new UsageException($"--graph: unknown graph '{graphName}'; expected erdos-renyi, watts-strogatz, barabasi-albert, complete or electorate.");
            if (n < 2 || n > Limits.MaxNodes) throw new UsageException($"--nodes must be between 2 and {Limits.MaxNodes:N0}; got {n}.");
            if (graphName is not ("complete" or "electorate") && (k < 1 || k >= n)) throw new UsageException($"--degree must be between 1 and nodes−1; got {k}.");
            if (graphName == "electorate" && (k < 0 || k > 1000)) throw new UsageException($"--degree (online contacts per voter) must be between 0 and 1000; got {k}.");
            var electorateSpec = graphName == "electorate" ? PresetOrThrow(parse.GetValue(preset)!) : null;
            if (electorateSpec is not null && n < electorateSpec.Constituencies * 10)
                throw new UsageException($"--nodes (voters) must be at least 10 per constituency for --graph electorate: {electorateSpec.Constituencies * 10} for '{electorateSpec.Name}'; got {n}.");
            int s = parse.GetValue(seed);
            var p = new OpinionParameters { Epsilon = parse.GetValue(epsilon), Gamma = parse.GetValue(gamma), Mu = parse.GetValue(mu), Steps = parse.GetValue(steps) };
            try { p.Validate(); } catch (SpecValidationException ex) { throw new UsageException(ex.Message.Replace("$.", "--")); }
            int t = parse.GetValue(threads) ?? Environment.ProcessorCount;
            if (t < 1 || t > 1024) throw new UsageException($"--threads must be between 1 and 1024; got {t}.");
            int dims = parse.GetValue(dimensions);
            if (dims is < 1 or > 50) throw new UsageException($"--dimensions must be between 1 and 50; got {dims}.");
            var dir = parse.GetValue(outDir);
            // Memory before anything is allocated: opinions (and their copies), the adjacency lists, the CSV text, the electorate.
            long directedEdges = graphName switch
            {
                "complete" => 0, // implicit: no adjacency lists
                "electorate" => (long)n * (k + 40), // online contacts plus household and neighbourhood ties
                _ => (long)n * k,
            };
            long perNode = Limits.NodeBytes + 16L * dims + (dir is null ? 0 : 64L * dims) + (electorateSpec is null ? 0 : Limits.ElectorateBytesFor(electorateSpec.IssueCount));
            long bytes = Limits.Estimate(n, perNode, (long)Math.Min((double)directedEdges * Limits.EdgeBytes, long.MaxValue / 2));
            Limits.CheckMemory($"--nodes {n} with --degree {k}", bytes, "Use fewer nodes or a lower degree.");
            var g = graphName switch
            {
                "erdos-renyi" => Graph.ErdosRenyi(n, k, s),
                "watts-strogatz" => Graph.WattsStrogatz(n, k % 2 == 0 ? k : k + 1, 0.1, s),
                "barabasi-albert" => Graph.BarabasiAlbert(n, Math.Max(1, k / 2), s),
                "complete" => Graph.Complete(n),
                _ => ElectorateGraph.Build(Workbench.Electorate.Electorates.Generate(electorateSpec!, n, s),
                    new ElectorateGraphOptions { OnlineDegree = k }, s).All,
            };
            if (dir is not null) dir = Outputs.Folder(dir, "--out");
            if (dims > 1) return RunMulti(m, g, n, dims, p, s, t, dir, parse.GetValue(model)!, graphName);
            var run = Opinions.Run(m, g, Opinions.Uniform(n, s), p, s, t);
            var metrics = run.Metrics;
            if (dir is not null)
            {
                SeriesTable(run.Series).WriteCsv(Path.Combine(dir, "timeseries.csv"));
                new ColumnTable([new TableColumn("node", Enumerable.Range(0, run.Opinions.Length).ToArray()), new TableColumn("opinion", run.Opinions.ToArray())])
                    .WriteCsv(Path.Combine(dir, "opinions.csv"));
            }
            var json = new Dictionary<string, object>
            {
                ["model"] = parse.GetValue(model)!, ["graph"] = parse.GetValue(graph)!, ["nodes"] = n, ["edges"] = g.IsComplete ? (long)n * (n - 1) / 2 : g.EdgeCount,
                ["epsilon"] = p.Epsilon, ["gamma"] = p.Gamma, ["mu"] = p.Mu, ["seed"] = s,
                ["steps"] = run.Steps, ["converged"] = run.Converged, ["interactions"] = run.Interactions,
                ["interactionsPerSecond"] = Math.Round(run.InteractionsPerSecond),
                ["final"] = new Dictionary<string, object>
                {
                    ["variance"] = Math.Round(metrics.Variance, 6), ["bimodality"] = Math.Round(metrics.Bimodality, 6),
                    ["clusters"] = metrics.Clusters, ["majorClusters"] = metrics.MajorClusters, ["estebanRay"] = Math.Round(metrics.EstebanRay, 6),
                },
            };
            Console.Out.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>timeseries.csv: replicate, step, metric, value, one row per recorded metric.</summary>
    private static ColumnTable SeriesTable(IReadOnlyList<MetricRow> series) => new(
    [
        new TableColumn("replicate", series.Select(r => r.Replicate).ToArray()),
        new TableColumn("step", series.Select(r => r.Step).ToArray()),
        new TableColumn("metric", series.Select(r => r.Metric).ToArray()),
        new TableColumn("value", series.Select(r => r.Value).ToArray()),
    ]);

    /// <summary>Several issue dimensions: opinions.csv has one column per dimension; the JSON adds joint clusters and issue alignment.</summary>
    private static int RunMulti(OpinionModel m, Graph g, int n, int dims, OpinionParameters p, int s, int t, string? dir, string model, string graph)
    {
        var run = MultiOpinions.Run(m, g, MultiOpinions.Uniform(n, dims, s), dims, p, s, t);
        var metrics = run.Metrics;
        if (dir is not null)
        {
            SeriesTable(run.Series).WriteCsv(Path.Combine(dir, "timeseries.csv"));
            var columns = new List<TableColumn> { new("node", Enumerable.Range(0, n).ToArray()) };
            for (int d = 0; d < dims; d++)
            {
                var values = new double[n];
                for (int i = 0; i < n; i++) values[i] = run.Opinions[i * dims + d];
                columns.Add(new TableColumn(string.Create(CultureInfo.InvariantCulture, $"opinion{d}"), values));
            }
            new ColumnTable(columns).WriteCsv(Path.Combine(dir, "opinions.csv"));
        }
        var json = new Dictionary<string, object>
        {
            ["model"] = model, ["graph"] = graph, ["nodes"] = n, ["dimensions"] = dims, ["edges"] = g.IsComplete ? (long)n * (n - 1) / 2 : g.EdgeCount,
            ["epsilon"] = p.Epsilon, ["gamma"] = p.Gamma, ["mu"] = p.Mu, ["seed"] = s,
            ["steps"] = run.Steps, ["converged"] = run.Converged, ["interactions"] = run.Interactions, ["interactionsPerSecond"] = Math.Round(run.InteractionsPerSecond),
            ["final"] = new Dictionary<string, object>
            {
                ["jointClusters"] = metrics.JointClusters, ["jointMajorClusters"] = metrics.JointMajorClusters, ["alignment"] = Math.Round(metrics.Alignment, 6),
                ["perDimension"] = metrics.PerDimension.Select(x => new Dictionary<string, object> { ["variance"] = Math.Round(x.Variance, 6), ["majorClusters"] = x.MajorClusters }).ToArray(),
            },
        };
        Console.Out.WriteLine(JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        return ExitCodes.Ok;
    }
}
