using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Data;
using Workbench.Scoring;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench schedule (--preset NAME | --spec FILE) [--voters N] --regime NAME|FILE [--attempts A] [--seed S]</c> (
/// MODEL.md §4): probability indexes of being home and answering the phone by time of day, estimated from past canvass
/// visits and calls, and the contact rates of scheduling by them. Prints JSON.
/// </summary>
internal sealed class ScheduleCommand : CliCommand
{
    public override Command Build()
    {
        var el = new ElectorateOptions();
        var regime = new Option<string>("--regime") { Description = $"A data regime preset ({string.Join(", ", DataRegime.PresetNames)}) or a regime file (JSON).", Required = true };
        var attempts = new Option<int>("--attempts") { Description = "Past canvass visits (and as many calls) per time slot.", DefaultValueFactory = _ => 3000 };
        var cmd = new Command("schedule", "Time-of-day indexes: estimate each segment's chance of being home and of answering the phone in the morning, afternoon and evening from past visits and calls; print them and the contact rates of scheduling by them (equal capacity per slot) against a random time and the oracle, as JSON.")
        {
            regime, attempts,
        };
        el.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var s = el.ResolveSpec(parse);
            int a = parse.GetValue(attempts);
            if (a is < 10 or > 10_000_000) throw new UsageException($"--attempts must be between 10 and 10000000; got {a}.");
            var dr = ScoreCommand.ResolveRegime(parse.GetValue(regime)!);
            if (!dr.AllowedSources.Contains(DataSource.Canvass)) throw new UsageException($"--regime: '{dr.Name}' does not allow canvass records, from which the indexes are estimated.");
            var e = el.Generate(parse, s);
            var r = TimeOfDay.Fit(e, dr, a, el.SeedOf(parse));
            JsonObject Table(IReadOnlyList<IReadOnlyList<double>> index)
            {
                var o = new JsonObject();
                for (int g = 0; g < r.Segments.Count; g++)
                {
                    var row = new JsonObject();
                    for (int t = 0; t < TimeOfDay.Slots.Count; t++) row[TimeOfDay.Slots[t]] = Math.Round(index[g][t], 4);
                    o[r.Segments[g]] = row;
                }
                return o;
            }
            var json = new JsonObject
            {
                ["electorate"] = s.Name, ["voters"] = e.VoterCount, ["regime"] = dr.Name, ["attemptsPerSlot"] = a,
                ["homeIndex"] = Table(r.HomeIndex), ["answerIndex"] = Table(r.AnswerIndex),
                ["homeCorrelationWithTruth"] = Math.Round(r.HomeCorrelation, 4),
                ["plans"] = new JsonArray(r.Plans.Select(p => (JsonNode)new JsonObject
                {
                    ["plan"] = p.Plan, ["canvassContact"] = Math.Round(p.CanvassContact, 4), ["phoneAnswer"] = Math.Round(p.PhoneAnswer, 4),
                }).ToArray()),
            };
            Console.Out.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
