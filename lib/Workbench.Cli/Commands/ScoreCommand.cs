using System.CommandLine;
using System.Text.Json;
using Workbench.Data;
using Workbench.Electorate;
using Workbench.Scoring;
using Workbench.Tables;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench score (--preset NAME | --spec FILE) --voters N --regime NAME|FILE --seed S [--party P] [--trainer logistic|fasttree] [--out DIR]</c>:
/// trains support, turnout and uplift models on what the regime allows (docs/data-and-scoring.md), prints their
/// metrics as JSON and writes per-voter scores and segments to DIR/scores.parquet when asked.
/// </summary>
internal sealed class ScoreCommand : CliCommand
{
    /// <summary>A regime preset name or a regime file; a clear usage error otherwise.</summary>
    internal static DataRegime ResolveRegime(string r)
    {
        DataRegime dr;
        if (DataRegime.PresetNames.Contains(r)) dr = DataRegime.Preset(r);
        else if (File.Exists(r) || Directory.Exists(r)) dr = DataRegime.FromJson(File.ReadAllText(Inputs.File(r, "--regime")));
        else throw new UsageException($"--regime: '{r}' is neither a preset ({string.Join(", ", DataRegime.PresetNames)}) nor an existing file.");
        Parameters.ThrowIfAny(dr.Validate());
        return dr;
    }

    public override Command Build()
    {
        var preset = new Option<string?>("--preset") { Description = $"A built-in electorate preset: {string.Join(", ", ElectorateSpec.PresetNames)}." };
        var spec = new Option<string?>("--spec") { Description = "An electorate spec file (JSON)." };
        var voters = new Option<int?>("--voters") { Description = "Number of voters (default: the spec's defaultVoters)." };
        var regime = new Option<string>("--regime") { Description = $"A data regime preset ({string.Join(", ", DataRegime.PresetNames)}) or a regime file (JSON).", Required = true };
        var seed = new Option<int?>("--seed") { Description = "Random seed (default 2018)." };
        var party = new Option<string?>("--party") { Description = "The party whose support is scored (default: the first)." };
        var trainer = new Option<string>("--trainer") { Description = "logistic (default) or fasttree.", DefaultValueFactory = _ => "logistic" };
        var quality = new Option<string>("--data-quality") { Description = "perfect (default: sources read the truth) or typical (incomplete, partly wrong consumer data and platform inferences; partly stale voter-file ages).", DefaultValueFactory = _ => "perfect" };
        var arms = new Option<int>("--arms") { Description = "Treatment arms of the message test (1: one message; 2–10: one message per issue, and which to send to whom).", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--out") { Description = "Folder for scores.parquet (voter, support, turnout, uplift, true_uplift, segment, cluster)." };
        var cmd = new Command("score", "Train support, turnout and uplift scores (ML.NET) on what a data regime lets a campaign see; print AUC, Brier, calibration, top-decile precision, Qini, uplift AUC, the correlation with the true uplift, and segment sizes as JSON.")
        {
            preset, spec, voters, regime, seed, party, trainer, quality, arms, output,
        };
        cmd.SetAction(parse =>
        {
            string? presetName = parse.GetValue(preset), specPath = parse.GetValue(spec), outDir = parse.GetValue(output);
            var s = ElectorateCommand.ResolveSpec(presetName, specPath);
            int n = parse.GetValue(voters) ?? s.DefaultVoters;
            if (n < s.Constituencies * 10) throw new UsageException($"--voters must be at least 10 per constituency: {s.Constituencies * 10} for '{s.Name}'; got {n}.");
            Limits.CheckVoters("--voters", n, s.Constituencies * 10, Limits.MaxSimulationVoters, Limits.ScoringBytesPerVoter);
            var dr = ResolveRegime(parse.GetValue(regime)!);
            // The options the scorer validates too, checked here by flag name before any output exists.
            if (parse.GetValue(trainer) is not ("logistic" or "fasttree")) throw new UsageException($"--trainer must be logistic or fasttree; got '{parse.GetValue(trainer)}'.");
            if (parse.GetValue(quality) is not ("perfect" or "typical")) throw new UsageException($"--data-quality must be perfect or typical; got '{parse.GetValue(quality)}'.");
            if (parse.GetValue(arms) is < 1 or > 10) throw new UsageException($"--arms must be between 1 and 10; got {parse.GetValue(arms)}.");
            if (parse.GetValue(party) is string pn && !s.Parties.Any(x => x.Name == pn))
                throw new UsageException($"--party '{pn}' is not a party of '{s.Name}' ({string.Join(", ", s.Parties.Select(x => x.Name))}).");
            if (outDir is not null) Outputs.File(Path.Combine(Outputs.Folder(outDir, "--out"), "scores.parquet"), "--out");
            int seedValue = parse.GetValue(seed) ?? Workbench.Random.Seeds.Default;
            var e = Electorates.Generate(s, n, seedValue);
            var result = Scorer.Score(e, dr, new ScoringOptions { Party = parse.GetValue(party), Trainer = parse.GetValue(trainer)!, DataQuality = parse.GetValue(quality)!, UpliftArms = parse.GetValue(arms) }, seedValue);
            if (outDir is not null) ScoresTable(result).WriteParquet(Path.Combine(outDir, "scores.parquet"));
            var json = result.ToJson();
            json["preset"] = s.Name; json["voters"] = n; json["seed"] = seedValue;
            Console.Out.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The per-voter scores as a table: voter, support, turnout, uplift, true_uplift, segment (empty when there are no segments), cluster.</summary>
    internal static ColumnTable ScoresTable(ScoringResult r)
    {
        int n = r.SupportScore.Length;
        return new ColumnTable(
        [
            new TableColumn("voter", Enumerable.Range(0, n).ToArray()), new TableColumn("support", r.SupportScore.ToArray()), new TableColumn("turnout", r.TurnoutScore.ToArray()),
            new TableColumn("uplift", r.UpliftScore.ToArray()), new TableColumn("true_uplift", r.TrueUplift.ToArray()),
            new TableColumn("segment", r.SegmentSizes.Count > 0 ? r.Segments.Select(x => r.SegmentSizes[(int)x].Segment).ToArray() : Enumerable.Repeat("", n).ToArray()),
            new TableColumn("cluster", r.Cluster.ToArray()),
        ]);
    }
}
