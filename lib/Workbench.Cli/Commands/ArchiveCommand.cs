using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Experiments;
using Workbench.Tables;
using Workbench.Transparency;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench archive SCENARIO.json|NAME --format meta|google [--arm A] [--seed S] [--voters N] [--audit] --out FILE.(csv|json)</c>:
/// the transparency archive of replicate 0 of an arm (docs/regulation.md), in an ad library's field layout; with <c>--audit</c>
/// the summary also sets what the published archive shows against the truth (marginal-seat spend, hidden special categories).
/// </summary>
internal sealed class ArchiveCommand : CliCommand
{
    public override Command Build()
    {
        var file = new Argument<string>("SCENARIO") { Description = "Scenario file (JSON) or the name of a built-in scenario." };
        var format = new Option<string>("--format") { Description = "meta (Ad Library API fields) or google (political-ads creative report).", Required = true };
        var arm = new Option<string?>("--arm") { Description = "The arm (default: the first)." };
        var seed = new Option<int?>("--seed") { Description = "Master seed (default: the scenario's)." };
        var voters = new Option<int?>("--voters") { Description = "Voters (default: the scenario's; budgets scale)." };
        var output = new Option<string>("--out") { Description = "Output file: .csv or .json.", Required = true };
        var audit = new Option<bool>("--audit") { Description = "Also audit the archive against the hidden truth: marginal-seat spend (Audit.MarginalSeats) and audiences' skew on the special categories the archive does not publish (Audit.HiddenAttribute), in the printed summary." };
        var allowOutside = SimulateCommand.AllowOutsidePathsOption();
        var cmd = new Command("archive", "Write the transparency archive of a scenario's ads (every delivered paid-social ad except dark posts) in Meta Ad Library or Google political-ads layout.")
        {
            file, format, arm, seed, voters, output, audit, allowOutside,
        };
        cmd.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            SimulateCommand.CheckScenario(path);
            string fmt = parse.GetValue(format)!;
            if (fmt is not ("meta" or "google")) throw new UsageException($"--format must be meta or google; got '{fmt}'.");
            string outPath = parse.GetValue(output)!;
            string ext = Path.GetExtension(outPath).ToLowerInvariant();
            if (ext is not (".csv" or ".json")) throw new UsageException($"--out must end in .csv or .json; got '{outPath}'.");
            int? v = parse.GetValue(voters);
            if (v is < Limits.MinSimulationVoters or > Limits.MaxSimulationVoters) throw new UsageException($"--voters must be between {Limits.MinSimulationVoters} and {Limits.MaxSimulationVoters}; got {v}.");
            var sc = SimulateCommand.LoadScenario(path, parse.GetValue(allowOutside)).With(seed: parse.GetValue(seed), voters: v);
            string armName = parse.GetValue(arm) ?? sc.Arms[0].Name;
            if (!sc.Arms.Any(a => a.Name == armName)) throw new UsageException($"--arm: no arm '{armName}'; arms: {string.Join(", ", sc.Arms.Select(a => a.Name))}.");
            SimulateCommand.CheckMemory(sc with { Replicates = 1 }, 1);
            Outputs.File(outPath, "--out");
            var detail = Simulation.Detail(sc);
            var archive = detail.Archive(armName);
            var pretty = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            string text = (fmt, ext) switch
            {
                ("meta", ".json") => archive.ToMetaJson().ToJsonString(pretty) + "\n",
                ("meta", _) => archive.ToMetaCsv(),
                ("google", ".json") => new JsonArray(archive.ToGoogleRows().Select(r => (JsonNode)new JsonObject(r.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))))).ToArray()).ToJsonString(pretty) + "\n",
                _ => archive.ToGoogleCsv(),
            };
            AtomicFile.WriteAllText(outPath, text);
            var summary = new JsonObject
            {
                ["scenario"] = sc.Name, ["arm"] = armName, ["ads"] = archive.All.Count, ["published"] = archive.Published.Count, ["darkPosts"] = archive.All.Count - archive.Published.Count,
                ["deliveredSpend"] = Math.Round(archive.All.Sum(a => a.Spend), 2), ["publishedSpend"] = Math.Round(archive.Published.Sum(a => a.Spend), 2), ["out"] = outPath,
            };
            if (parse.GetValue(audit)) summary["audit"] = AuditJson(archive, detail, sc.Seed);
            Console.Out.WriteLine(summary.ToJsonString(pretty));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The audits of an archive against the run's hidden truth, as the summary prints them (shares rounded to 0.0001).</summary>
    private static JsonObject AuditJson(AdArchive archive, ReplicateRun run, int seed)
    {
        static double R(double x) => Math.Round(x, 4);
        var m = Audit.MarginalSeats(archive, run.Electorate, run.ClosestQuarter);
        return new JsonObject
        {
            ["marginalSeats"] = new JsonObject
            {
                ["trueShare"] = R(m.TrueShare), ["visibleShare"] = R(m.VisibleShare), ["unplacedShare"] = R(m.UnplacedShare), ["darkShare"] = R(m.DarkShare),
                ["marginalSeatShare"] = R(m.MarginalSeatShare),
            },
            ["hiddenAttributes"] = new JsonArray(Audit.HiddenAttributes.Select(attribute =>
            {
                var h = Audit.HiddenAttribute(archive, run.Electorate, attribute, seed);
                return (JsonNode)new JsonObject
                {
                    ["attribute"] = h.Attribute, ["populationShare"] = R(h.PopulationShare), ["trueShare"] = R(h.TrueShare), ["archiveEstimate"] = R(h.ArchiveEstimate),
                    ["classifiedAds"] = h.Ads, ["skewedAds"] = h.SkewedAds, ["detectedSkewedAds"] = h.DetectedSkewedAds, ["falseAlarms"] = h.FalseAlarms,
                    ["tooSmallAds"] = h.SmallAds, ["maximumEstimate"] = R(h.MaximumEstimate), ["flagAt"] = R(Audit.OverRepresentation * h.PopulationShare),
                    ["detectedIfSelected"] = h.DetectedIfSelected, ["darkSpendShare"] = R(h.DarkSpendShare),
                };
            }).ToArray()),
        };
    }
}
