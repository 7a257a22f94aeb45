using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Scoring;
using Workbench.Tables;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench swing (--preset NAME | --spec FILE) [--voters N] --party NAME [--seed S] [--out FILE.csv]</c> (
/// MODEL.md §4): area-level swing analysis — each neighbourhood's gain or loss for a party regressed on public area
/// statistics, and the neighbourhoods classed as battle zones, swing streets and strongholds. Prints JSON; writes one
/// row per neighbourhood (with its map position and class) to the CSV when asked.
/// </summary>
internal sealed class SwingCommand : CliCommand
{
    public override Command Build()
    {
        var el = new ElectorateOptions();
        var party = new Option<string>("--party") { Description = "The party whose gains and losses are analysed.", Required = true };
        var output = new Option<string?>("--out") { Description = "Write the neighbourhoods (position, shares, swing, predicted swing, class) to this CSV file." };
        var cmd = new Command("swing", "Area-level swing analysis: regress each neighbourhood's swing for a party on public area statistics; class neighbourhoods as battle zones, swing streets and strongholds; print JSON (and a CSV for a colour-coded map).")
        {
            party, output,
        };
        el.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var s = el.ResolveSpec(parse);
            var name = parse.GetValue(party)!;
            if (!s.Parties.Any(p => p.Name == name))
                throw new UsageException($"--party '{name}' is not a party of '{s.Name}' ({string.Join(", ", s.Parties.Select(p => p.Name))}).");
            var outPath = parse.GetValue(output);
            el.CheckMemory(parse, s);
            if (outPath is not null) Outputs.File(outPath, "--out");
            var e = el.Generate(parse, s);
            var r = AreaSwing.Analyse(e, name);
            var coefficients = new JsonObject { ["intercept"] = Math.Round(r.Coefficients[0], 6) };
            for (int k = 0; k < r.Covariates.Count; k++) coefficients[r.Covariates[k]] = Math.Round(r.Coefficients[k + 1], 6);
            var classes = new JsonArray(r.ClassCounts.Select(c => (JsonNode)new JsonObject { ["class"] = c.Class, ["neighbourhoods"] = c.Areas, ["voters"] = c.Voters }).ToArray());
            var json = new JsonObject
            {
                ["electorate"] = s.Name, ["voters"] = e.VoterCount, ["neighbourhoods"] = e.NeighbourhoodCount, ["party"] = name,
                ["meanSwingPoints"] = Math.Round(100 * r.Areas.Sum(a => a.Swing * a.Voters) / r.Areas.Sum(a => a.Voters), 3),
                ["rSquared"] = Math.Round(r.RSquared, 4), ["coefficients"] = coefficients, ["classes"] = classes,
            };
            if (outPath is not null) { AtomicFile.WriteAllText(outPath, r.ToCsv()); json["out"] = outPath; }
            Console.Out.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
