using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Campaigns;
using Workbench.Data;
using Workbench.Statistics;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench messages (--preset NAME | --spec FILE) [--voters N] [--seed S] --target-on A,B,… [--heterogeneity H]
/// [--impressions N] [--candidates K] [--replicates R] [--regime NAME|FILE] [--threads T] [--text]</c> (MODEL.md §5;
/// docs/campaigns.md, "Targeting messages on attributes"): compares targeting messages on voter attributes with the best
/// single message, both picked by the same persuasion pretest (<see cref="MessageTargeting.Compare(MessageSpace, IReadOnlyList{string}, long, int, int?, int, int, int?)"/>).
/// Prints JSON (or, with --text, a table): per rule the cells, the mean true persuasion it achieves, its premium over the
/// single message and the oracle for the same cells, each with a 95% interval over replicates.
/// </summary>
internal sealed class MessagesCommand : CliCommand
{
    public override Command Build()
    {
        var el = new ElectorateOptions();
        var targetOn = new Option<string>("--target-on") { Description = $"Comma-separated attributes to target messages on: {string.Join(", ", MessageTargeting.Attributes)}.", Required = true };
        var heterogeneity = new Option<double>("--heterogeneity") { Description = "The message space's attribute heterogeneity (MessageSpaceSpec.AttributeHeterogeneity, 0 to 3; default 0: no attribute predicts which message persuades).", DefaultValueFactory = _ => 0 };
        var impressions = new Option<long>("--impressions") { Description = "Respondents of the persuasion pretest (default 100,000).", DefaultValueFactory = _ => 100_000 };
        var candidates = new Option<int>("--candidates") { Description = "Variants on the pretest's shortlist (default 24).", DefaultValueFactory = _ => 24 };
        var replicates = new Option<int>("--replicates") { Description = "Replicates: a new shortlist and new respondents each (default 50).", DefaultValueFactory = _ => 50 };
        var regime = new Option<string>("--regime") { Description = $"The data regime the campaign works under: a preset ({string.Join(", ", DataRegime.PresetNames)}) or a regime file; a banned attribute is refused (default us-like).", DefaultValueFactory = _ => "us-like" };
        var threads = new Option<int?>("--threads") { Description = "Worker threads (default: all cores). Results do not depend on it." };
        var text = new Option<bool>("--text") { Description = "Print a table instead of JSON." };
        var cmd = new Command("messages", "Compare targeting messages on voter attributes (one, two, three attributes and the oracle) with the best single message, both picked by the same persuasion pretest; print means with 95% intervals over replicates as JSON.")
        {
            targetOn, heterogeneity, impressions, candidates, replicates, regime, threads, text,
        };
        el.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var s = el.ResolveSpec(parse);
            var attrs = parse.GetValue(targetOn)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (attrs.Length == 0) throw new UsageException($"--target-on: give at least one attribute ({string.Join(", ", MessageTargeting.Attributes)}).");
            foreach (var err in MessageTargeting.Validate(attrs, "--target-on")) throw new UsageException($"{err.Path}: {err.Message}");
            var dr = ScoreCommand.ResolveRegime(parse.GetValue(regime)!);
            foreach (var a in attrs)
                if (VoterData.TargetingRefusal(dr, a) is string why) throw new UsageException($"--target-on: '{a}' is refused: {why}");
            double h = parse.GetValue(heterogeneity);
            if (!(h >= 0 && h <= 3)) throw new UsageException($"--heterogeneity must be between 0 and 3; got {h}.");
            long n = parse.GetValue(impressions);
            if (n < 1 || n > 1_000_000_000) throw new UsageException($"--impressions must be between 1 and 1,000,000,000; got {n}.");
            int r = parse.GetValue(replicates);
            if (r < 1 || r > 100_000) throw new UsageException($"--replicates must be between 1 and 100,000; got {r}.");
            int k = parse.GetValue(candidates);
            var t = parse.GetValue(threads);
            if (t is < 1 or > 1024) throw new UsageException($"--threads must be between 1 and 1024; got {t}.");
            int seed = el.SeedOf(parse);
            var e = el.Generate(parse, s);
            var space = new MessageSpace(e, new MessageSpaceSpec { AttributeHeterogeneity = h }, seed);
            if (k < 2 || k > space.Messages.Count) throw new UsageException($"--candidates must be between 2 and the space's {space.Messages.Count} variants; got {k}.");
            // The regime is enforced by the data layer as well: the campaign's view refuses a banned attribute.
            var data = VoterData.Open(e, dr, null, seed);
            foreach (var a in attrs) data.RequireTargetable(a);
            var cmp = MessageTargeting.Compare(space, attrs, n, r, seed, k, 3, t);
            if (parse.GetValue(text)) { Console.Out.Write(cmp.ToText()); return ExitCodes.Ok; }
            static JsonObject Ci(MeanInterval m, int d) => new() { ["mean"] = Math.Round(m.Mean, d), ["low"] = Math.Round(m.Low, d), ["high"] = Math.Round(m.High, d) };
            var rules = new JsonArray(cmp.Rules.Select(x => (JsonNode)new JsonObject
            {
                ["rule"] = x.Name, ["attributes"] = new JsonArray(x.Attributes.Select(a => (JsonNode)JsonValue.Create(a)!).ToArray()), ["cells"] = x.Cells,
                ["testedPersuasion"] = Ci(x.TestedMean, 6), ["premiumPercent"] = Ci(x.PremiumMean, 2), ["oraclePersuasion"] = Ci(x.OracleMean, 6),
            }).ToArray());
            var json = new JsonObject
            {
                ["electorate"] = s.Name, ["voters"] = e.VoterCount, ["seed"] = seed, ["regime"] = dr.Name, ["heterogeneity"] = h,
                ["variants"] = space.Messages.Count, ["candidates"] = k, ["impressions"] = n, ["replicates"] = r, ["rules"] = rules,
            };
            Console.Out.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
