using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Workbench.Campaigns;
using Workbench.Data;
using Workbench.Electorate;
using Workbench.Behaviour;
using Workbench.Elections;
using Workbench.Json;

namespace Workbench.Experiments;

/// <summary>A named set of campaigns run together against the same baseline.</summary>
public sealed record Arm(string Name, IReadOnlyList<CampaignSpec> Campaigns)
{
    /// <summary>Most rounds a scenario may ask for.</summary>
    public const int MaxRounds = 20;

    /// <summary>
    /// Best-response rounds (JSON <c>rounds</c>, 1–<see cref="MaxRounds"/>, default 1). 1: each campaign plans once, alone, in
    /// order. R &gt; 1: in rounds 2..R each campaign re-plans against its estimate of the other campaigns' latest plans, until the
    /// plans converge or R rounds are played; only the final plans are delivered (docs/campaigns.md, "Rivals").
    /// </summary>
    public int Rounds { get; init; } = 1;
}

/// <summary>
/// An experiment scenario (MODEL.md §5–7; docs/campaigns.md): an electorate, the data regime
/// campaigns work under, the electoral systems to count under, the channels, one or more arms
/// of campaigns, replicates and a seed. Each replicate runs the baseline (no campaigns) and every
/// arm on the same electorate and election-day draws (common random numbers), so effects are
/// differences on identical electorates.
/// </summary>
public sealed record Scenario
{
    /// <summary>Scenario name.</summary>
    public string Name { get; init; } = "";
    /// <summary>What the scenario asks.</summary>
    public string Description { get; init; } = "";
    /// <summary>The electorate spec.</summary>
    public ElectorateSpec Electorate { get; init; } = null!;
    /// <summary>Name of the electorate preset, when one was used.</summary>
    public string? Preset { get; init; }
    /// <summary>Voters per electorate.</summary>
    public int Voters { get; init; }
    /// <summary>True: every replicate generates its own electorate (from its replicate seed); false: one electorate for all replicates.</summary>
    public bool VaryElectorate { get; init; } = true;
    /// <summary>The data regime campaigns work under.</summary>
    public DataRegime Regime { get; init; } = null!;
    /// <summary>Systems under which the same ballots are counted.</summary>
    public IReadOnlyList<ElectoralSystemSpec> Systems { get; init; } = [];
    /// <summary>Channels available to campaigns (built-ins with scenario overrides, plus any new ones).</summary>
    public IReadOnlyList<ChannelSpec> Channels { get; init; } = [];
    /// <summary>Arms of campaigns.</summary>
    public IReadOnlyList<Arm> Arms { get; init; } = [];
    /// <summary>The regulation block (null: none).</summary>
    public Workbench.Regulation.RegulationSpec? Regulation { get; init; }
    /// <summary>The regime campaigns actually work under: the scenario's regime with the regulation's targeting rules.</summary>
    public DataRegime EffectiveRegime => Regulation?.Apply(Regime) ?? Regime;
    /// <summary>A channel as campaigns actually use it (a political-ad ban applied; a silence period acts on the calendar, in the campaign engine).</summary>
    public ChannelSpec EffectiveChannel(string name) => Regulation?.Apply(Channel(name)) ?? Channel(name);
    /// <summary>The evidence preset the built-in channels' effects come from (JSON <c>evidence</c>; default central). The scenario's <c>channels</c> overrides win over it.</summary>
    public EvidenceSet Evidence { get; init; } = EvidenceSet.Central;
    /// <summary>Weeks of the campaign calendar (JSON <c>weeks</c>, 1–52, default <see cref="Persistence.DefaultWeeks"/>); campaign schedules give one share per week.</summary>
    public int Weeks { get; init; } = Persistence.DefaultWeeks;
    /// <summary>
    /// How wrong the campaigns' forecasts are (JSON <c>forecast</c>; default none): each campaign's poll has a house effect and
    /// election day swings away from the forecast nationally and by region, the same swing for the baseline and every arm of a
    /// replicate (<see cref="ForecastError"/>).
    /// </summary>
    public ForecastError Forecast { get; init; } = ForecastError.None;
    /// <summary>
    /// The online graph and cascades campaigns work through (JSON <c>network</c>; default: the defaults of
    /// <see cref="Workbench.Networks.ElectorateGraphOptions"/> and <see cref="Workbench.Networks.CascadeOptions"/>).
    /// </summary>
    public Workbench.Networks.NetworkSpec Network { get; init; } = Workbench.Networks.NetworkSpec.Default;
    /// <summary>Replicates.</summary>
    public int Replicates { get; init; } = 10;
    /// <summary>Master seed.</summary>
    public int Seed { get; init; } = Random.Seeds.Default;
    /// <summary>The scenario JSON as read (canonical form is hashed into the manifest).</summary>
    public string Json { get; init; } = "";

    /// <summary>SHA-256 of the scenario JSON in canonical form (compact, as parsed).</summary>
    public string Hash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonNode.Parse(Json)?.ToJsonString() ?? "")));

    /// <summary>
    /// The scenario JSON as read, with a referenced electorate spec file and regime file inlined, so it can be rerun
    /// anywhere (manifests record it; <c>workbench verify</c> reruns it). Budgets and voters are as in the file: apply
    /// <see cref="With"/> with the recorded overrides.
    /// </summary>
    public string SelfContainedJson
    {
        get
        {
            var root = JsonNode.Parse(Json)!.AsObject();
            if (root["electorate"] is JsonObject eo && eo["specFile"] is not null)
            {
                eo.Remove("specFile");
                eo["spec"] = JsonNode.Parse(Electorate.ToJson());
            }
            if (root["regime"] is JsonValue rv && rv.TryGetValue<string>(out var r) && !DataRegime.PresetNames.Contains(r)) root["regime"] = JsonNode.Parse(Regime.ToJson());
            return root.ToJsonString();
        }
    }

    /// <summary>A channel of this scenario by name.</summary>
    public ChannelSpec Channel(string name) => Channels.FirstOrDefault(c => c.Name == name) ?? throw new ArgumentException($"Unknown channel '{name}'.");

    /// <summary>The top-level fields of a scenario file (besides "$schema").</summary>
    internal static readonly string[] Known = ["name", "description", "electorate", "varyElectorate", "regime", "regulation", "systems", "evidence", "weeks", "forecast", "network", "channels", "arms", "campaigns", "replicates", "seed"];

    /// <summary>Names of the scenarios shipped in notebooks/scenarios (embedded in the library, so they work from any folder, offline).</summary>
    public static IReadOnlyList<string> BuiltinNames { get; } =
        [.. EmbeddedJson.Names("Scenarios")];

    /// <summary>A shipped scenario by name (e.g. "fptp-vs-pr").</summary>
    public static Scenario Builtin(string name)
    {
        if (!BuiltinNames.Contains(name)) throw new ArgumentException($"Unknown scenario '{name}'. Built-in scenarios: {string.Join(", ", BuiltinNames)}.", nameof(name));
        return Parse(EmbeddedJson.Read("Scenarios", name));
    }

    /// <summary>
    /// Loads a scenario file. A referenced electorate spec file or regime file resolves against the scenario's folder and
    /// must stay inside it or the project's data folders unless <paramref name="allowOutsidePaths"/>.
    /// </summary>
    public static Scenario Load(string path, bool allowOutsidePaths = false)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Scenario file '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path)), allowOutsidePaths);
    }

    /// <summary>
    /// Parses and validates a scenario; every error is reported with its JSON path in one <see cref="SpecValidationException"/>.
    /// The top level is read through its contract (<see cref="ScenarioFileContract"/>: loose scalar fields and unknown fields
    /// collected, so that every problem is reported at once); each block is read from the parsed object by its own reader.
    /// Referenced files resolve against <paramref name="baseDirectory"/> (default: the current folder) and must stay inside it
    /// or the project's data folders unless <paramref name="allowOutsidePaths"/>.
    /// </summary>
    public static Scenario Parse(string json, string? baseDirectory = null, bool allowOutsidePaths = false)
    {
        var root = JsonInput.ParseObject(json, "a scenario");
        var errors = new List<ValidationError>();
        var file = JsonInput.Deserialize(root, "$", errors, ExperimentsJson.Contract.ScenarioFileContract);
        Parameters.ThrowIfAny(errors);
        JsonInput.UnknownFields(file!.Unknown, "$", Known, errors);

        var (spec, preset, voters) = ReadElectorate(file.Electorate, baseDirectory, allowOutsidePaths, errors);
        var regime = ReadRegime(root, baseDirectory, allowOutsidePaths, errors);
        var regulation = ReadRegulation(root, errors);
        var systems = ReadSystems(root, spec, errors);
        var (evidence, weeks) = ReadEvidenceAndWeeks(root, errors);
        var forecast = ReadForecast(root, errors);
        var network = ReadNetwork(root, spec?.IssueCount, errors);
        var channels = ReadChannels(root, evidence, errors);
        var (arms, armPaths) = ReadArms(file, errors);
        CheckCampaigns(arms, armPaths, spec, channels, systems, weeks, errors);
        if (regime is not null) CheckMessageTargeting(arms, armPaths, regulation?.Apply(regime) ?? regime, errors);

        int replicates = JsonInput.Int(file.Replicates, "$.replicates", errors, "must be a whole number between 1 and 100,000.", 1, 100_000) ?? 10;
        int seed = JsonInput.Int(file.Seed, "$.seed", errors, "must be a 32-bit integer.") ?? Random.Seeds.Default;
        bool vary = JsonInput.Bool(file.VaryElectorate, "$.varyElectorate", errors) ?? true;
        string name0 = JsonInput.String(file.Name, "$.name", errors) ?? "scenario";
        string description = JsonInput.String(file.Description, "$.description", errors) ?? "";

        Parameters.ThrowIfAny(errors);
        return new Scenario
        {
            Name = name0, Description = description, Electorate = spec!, Preset = preset, Voters = voters,
            VaryElectorate = vary, Regime = regime!, Regulation = regulation, Systems = systems, Channels = channels, Arms = arms,
            Replicates = replicates, Seed = seed, Json = root.ToJsonString(), Evidence = evidence, Weeks = weeks, Forecast = forecast, Network = network,
        };
    }

    /// <summary>The fields of a scenario's <c>electorate</c> block.</summary>
    internal static readonly string[] ElectorateKnown = ["preset", "spec", "specFile", "voters"];

    /// <summary>The fields of an arm.</summary>
    internal static readonly string[] ArmKnown = ["name", "campaigns", "rounds"];

    /// <summary>
    /// Reads $.electorate through its contract (<see cref="ScenarioElectorateContract"/>): a preset, an inline spec or a spec
    /// file, and the number of voters (the spec's default when not given).
    /// </summary>
    private static (ElectorateSpec? Spec, string? Preset, int Voters) ReadElectorate(Loose<ScenarioElectorateContract> electorate, string? baseDirectory, bool allowOutsidePaths, List<ValidationError> errors)
    {
        // Electorate: { preset, voters } or { spec: {...} | specFile: "path", voters }.
        ElectorateSpec? spec = null; string? preset = null; int voters = 0;
        if (!electorate.Ok) errors.Add(new("$.electorate", $"required: {{ \"preset\": NAME, \"voters\": N }} or {{ \"spec\": {{...}}, \"voters\": N }}; got {JsonInput.Kind(electorate.Raw)}."));
        else
        {
            var eo = electorate.Value;
            JsonInput.UnknownFields(eo.Unknown, "$.electorate", ElectorateKnown, errors);
            int given = (eo.Preset.Given ? 1 : 0) + (eo.Spec.Given ? 1 : 0) + (eo.SpecFile.Given ? 1 : 0);
            if (given != 1) errors.Add(new("$.electorate", "give exactly one of preset, spec or specFile."));
            else if (eo.Preset.Given)
            {
                preset = JsonInput.String(eo.Preset, "$.electorate.preset", errors);
                if (preset is not null && !ElectorateSpec.PresetNames.Contains(preset)) errors.Add(new("$.electorate.preset", $"unknown preset '{preset}'; known presets: {string.Join(", ", ElectorateSpec.PresetNames)}."));
                else if (preset is not null) spec = ElectorateSpec.Preset(preset);
            }
            else if (eo.Spec.Given)
            {
                if (eo.Spec.Ok) spec = ElectorateSpec.Read(eo.Spec.Value, "$.electorate.spec", errors);
                else errors.Add(new("$.electorate.spec", $"expected an electorate spec (an object), got {JsonInput.Kind(eo.Spec.Raw)}."));
            }
            else if (JsonInput.String(eo.SpecFile, "$.electorate.specFile", errors) is string sf
                && JsonInput.ResolveReference(baseDirectory, sf, "$.electorate.specFile", allowOutsidePaths, errors) is string file
                && JsonInput.ReadReference(file, "$.electorate.specFile", "an electorate spec", errors) is JsonObject fo)
                spec = ElectorateSpec.Read(fo, $"$.electorate.specFile ({Path.GetFileName(file)}) $", errors);
            if (eo.Voters.Given)
                voters = JsonInput.Int(eo.Voters, "$.electorate.voters", errors, "must be a whole number between 1,000 and 50,000,000.", 1000, 50_000_000) ?? 0;
            else voters = spec?.DefaultVoters ?? 0;
        }
        return (spec, preset, voters);
    }

    /// <summary>Reads $.regime: a preset name, a regime file or an inline object (us-like when absent).</summary>
    private static DataRegime? ReadRegime(JsonObject root, string? baseDirectory, bool allowOutsidePaths, List<ValidationError> errors)
    {
        // Regime: a preset name, a file, or an inline object.
        DataRegime? regime = null;
        switch (root["regime"])
        {
            case null when !root.ContainsKey("regime"): regime = DataRegime.Preset("us-like"); break;
            case JsonValue rv when rv.GetValueKind() == JsonValueKind.String:
                var rname = rv.GetValue<string>();
                if (DataRegime.PresetNames.Contains(rname)) regime = DataRegime.Preset(rname);
                else if (JsonInput.ResolveReference(baseDirectory, rname, "$.regime", allowOutsidePaths, errors) is string rfile)
                {
                    if (!File.Exists(rfile)) errors.Add(new("$.regime", $"'{rname}' is not a preset ({string.Join(", ", DataRegime.PresetNames)}) and not a readable regime file."));
                    else if (JsonInput.ReadReference(rfile, "$.regime", "a data regime", errors) is JsonObject rfo)
                        regime = DataRegime.Read(rfo, $"$.regime ({Path.GetFileName(rfile)}) $", errors);
                }
                break;
            case JsonObject ro: regime = DataRegime.Read(ro, "$.regime", errors); break;
            default: errors.Add(new("$.regime", $"expected a preset name ({string.Join(", ", DataRegime.PresetNames)}), a regime file or a regime object, got {JsonInput.Kind(root["regime"])}.")); break;
        }
        return regime;
    }

    /// <summary>Reads and validates $.regulation (none when absent).</summary>
    private static Workbench.Regulation.RegulationSpec? ReadRegulation(JsonObject root, List<ValidationError> errors)
    {
        // Regulation.
        Workbench.Regulation.RegulationSpec? regulation = null;
        if (root["regulation"] is JsonObject rg)
        {
            regulation = JsonInput.Deserialize(rg, "$.regulation", errors, ExperimentsJson.Contract.RegulationSpec);
            if (regulation is not null) errors.AddRange(regulation.Validate("$.regulation"));
        }
        else if (root.ContainsKey("regulation")) errors.Add(new("$.regulation", $"expected an object, got {JsonInput.Kind(root["regulation"])}."));
        return regulation;
    }

    /// <summary>Reads and validates $.systems (at least one, names unique, each valid for the electorate's constituencies).</summary>
    private static List<ElectoralSystemSpec> ReadSystems(JsonObject root, ElectorateSpec? spec, List<ValidationError> errors)
    {
        // Systems.
        List<ElectoralSystemSpec> systems = [];
        if (root["systems"] is JsonArray)
            systems = JsonInput.Deserialize(root["systems"], "$.systems", errors, ExperimentsJson.Contract.ListElectoralSystemSpec) ?? [];
        else if (!root.ContainsKey("systems")) errors.Add(new("$.systems", "required: at least one system, e.g. [{ \"name\": \"FPTP\", \"type\": \"fptp\" }]."));
        else errors.Add(new("$.systems", $"expected an array of systems, got {JsonInput.Kind(root["systems"])}."));
        if (root["systems"] is JsonArray { Count: 0 }) errors.Add(new("$.systems", "needs at least one system."));
        for (int s = 0; s < systems.Count; s++) errors.AddRange(systems[s].Validate($"$.systems[{s}]", spec?.Constituencies ?? 1));
        foreach (var dup in systems.GroupBy(s => s.Name).Where(g => g.Count() > 1)) errors.Add(new("$.systems", $"the system name '{dup.Key}' is used twice."));
        return systems;
    }

    /// <summary>Reads $.evidence (the evidence preset, default central) and $.weeks (the campaign calendar, 1–52, default 6).</summary>
    private static (EvidenceSet Evidence, int Weeks) ReadEvidenceAndWeeks(JsonObject root, List<ValidationError> errors)
    {
        // Evidence preset (default central) and calendar weeks (1–52, default 6).
        var evidence = EvidenceSet.Central;
        if (root["evidence"] is JsonNode ev) { if (ev is JsonValue evv && evv.TryGetValue<string>(out var evName) && EvidenceSet.PresetNames.Contains(evName)) evidence = EvidenceSet.Preset(evName); else errors.Add(new("$.evidence", $"must be an evidence preset name ({string.Join(", ", EvidenceSet.PresetNames)}); got {ev.ToJsonString()}.")); }
        int weeks = Persistence.DefaultWeeks;
        if (root["weeks"] is JsonNode wn && (wn.GetValueKind() != JsonValueKind.Number || !wn.AsValue().TryGetValue(out weeks) || weeks < 1 || weeks > 52)) errors.Add(new("$.weeks", $"must be a whole number of weeks between 1 and 52; got {wn.ToJsonString()}."));
        return (evidence, weeks);
    }

    /// <summary>Reads and validates $.forecast (no forecast error when absent).</summary>
    private static ForecastError ReadForecast(JsonObject root, List<ValidationError> errors)
    {
        // Forecast error (default none).
        var forecast = ForecastError.None;
        if (root["forecast"] is JsonObject fo0)
        {
            forecast = JsonInput.Deserialize(fo0, "$.forecast", errors, ExperimentsJson.Contract.ForecastError) ?? ForecastError.None;
            errors.AddRange(forecast.Validate("$.forecast"));
        }
        else if (root.ContainsKey("forecast")) errors.Add(new("$.forecast", $"expected an object {{ nationalSwing, regionalSwing, houseEffect }}, got {JsonInput.Kind(root["forecast"])}."));
        return forecast;
    }

    /// <summary>Reads and validates $.network (the graph's and cascades' defaults when absent).</summary>
    private static Workbench.Networks.NetworkSpec ReadNetwork(JsonObject root, int? issues, List<ValidationError> errors)
    {
        var network = Workbench.Networks.NetworkSpec.Default;
        if (root["network"] is JsonObject no0)
        {
            network = JsonInput.Deserialize(no0, "$.network", errors, ExperimentsJson.Contract.NetworkSpec) ?? Workbench.Networks.NetworkSpec.Default;
            errors.AddRange(network.Validate("$.network", issues));
        }
        else if (root.ContainsKey("network")) errors.Add(new("$.network", $"expected an object {{ graph, cascade, opinion }}, got {JsonInput.Kind(root["network"])}."));
        return network;
    }

    /// <summary>The channels: the built-ins with the evidence preset's effects, overridden or extended by $.channels.</summary>
    private static List<ChannelSpec> ReadChannels(JsonObject root, EvidenceSet evidence, List<ValidationError> errors)
    {
        // Channels: built-ins (with the evidence preset's effects), overridden or extended by the scenario.
        var channels = Behaviour.Channels.For(evidence).ToList();
        if (root["channels"] is JsonArray ca)
        {
            for (int c = 0; c < ca.Count; c++)
            {
                string path = $"$.channels[{c}]";
                if (ca[c] is not JsonObject co) { errors.Add(new(path, $"expected a channel object, got {JsonInput.Kind(ca[c])}.")); continue; }
                if (JsonInput.String(co, "name", path, errors, required: true) is not string cname) continue;
                int at = channels.FindIndex(x => x.Name == cname);
                JsonObject merged = at >= 0 ? (JsonObject)JsonSerializer.SerializeToNode(channels[at], ExperimentsJson.Contract.ChannelSpec)! : [];
                foreach (var (key, value) in co) merged[key] = value?.DeepClone();
                if (at < 0 && co["kind"] is null) { errors.Add(new(path + ".kind", $"'{cname}' is not a built-in channel ({string.Join(", ", Behaviour.Channels.Names)}), so it needs a kind.")); continue; }
                var ch = JsonInput.Deserialize(merged, path, errors, ExperimentsJson.Contract.ChannelSpec);
                if (ch is null) continue;
                errors.AddRange(ch.Validate(path));
                if (at >= 0) channels[at] = ch; else channels.Add(ch);
            }
        }
        else if (root.ContainsKey("channels")) errors.Add(new("$.channels", $"expected an array of channel objects, got {JsonInput.Kind(root["channels"])}."));
        return channels;
    }

    /// <summary>
    /// Reads $.arms (or the $.campaigns shorthand) through their contracts (<see cref="ScenarioArmContract"/>; each arm's
    /// campaigns through <see cref="CampaignSpec"/>'s) into arms with the JSON path of each arm's campaigns; arm names must be unique.
    /// </summary>
    private static (List<Arm> Arms, List<string> ArmPaths) ReadArms(ScenarioFileContract file, List<ValidationError> errors)
    {
        // Arms (or the campaigns shorthand).
        var arms = new List<Arm>();
        var armPaths = new List<string>();
        if (file.Arms.Ok)
        {
            var aa = file.Arms.Value;
            for (int a = 0; a < aa.Count; a++)
            {
                string ap = $"$.arms[{a}]";
                if (!aa[a].Ok) { errors.Add(new(ap, $"expected an arm {{ name, campaigns }}, got {JsonInput.Kind(aa[a].Raw)}.")); continue; }
                var ao = aa[a].Value;
                JsonInput.UnknownFields(ao.Unknown, ap, ArmKnown, errors);
                int rounds = JsonInput.Int(ao.Rounds, ap + ".rounds", errors, $"must be a whole number of best-response rounds between 1 and {Arm.MaxRounds}; got {ao.Rounds.Quote("null")}.", 1, Arm.MaxRounds) ?? 1;
                var name = JsonInput.String(ao.Name, ap + ".name", errors) ?? "";
                if (!ao.Name.Given || (ao.Name.Ok && name is "" or "baseline")) errors.Add(new(ap + ".name", "each arm needs a name other than 'baseline'."));
                List<CampaignSpec> cs = [];
                if (ao.Campaigns.Ok) cs = JsonInput.Deserialize(ao.Campaigns.Value, ap + ".campaigns", errors, ExperimentsJson.Contract.ListCampaignSpec) ?? [];
                else if (ao.Campaigns.Given) { errors.Add(new(ap + ".campaigns", $"expected an array of campaigns, got {JsonInput.Kind(ao.Campaigns.Raw)}.")); continue; }
                if (rounds > 1 && cs.Count < 2) errors.Add(new(ap + ".rounds", $"best-response rounds need at least two campaigns to answer each other; this arm has {cs.Count}, so rounds must be 1; got {rounds}."));
                arms.Add(new Arm(name, cs) { Rounds = rounds }); armPaths.Add(ap + ".campaigns");
            }
            if (file.Campaigns.Given) errors.Add(new("$.campaigns", "give either arms or campaigns, not both."));
        }
        else if (file.Arms.Given) errors.Add(new("$.arms", $"expected an array of arms {{ name, campaigns }}, got {JsonInput.Kind(file.Arms.Raw)}."));
        else if (file.Campaigns.Ok) { arms.Add(new Arm("campaign", JsonInput.Deserialize(file.Campaigns.Value, "$.campaigns", errors, ExperimentsJson.Contract.ListCampaignSpec) ?? [])); armPaths.Add("$.campaigns"); }
        else if (file.Campaigns.Given) errors.Add(new("$.campaigns", $"expected an array of campaigns, got {JsonInput.Kind(file.Campaigns.Raw)}."));
        else errors.Add(new("$.arms", "required: arms [{ name, campaigns }] or campaigns [...]."));
        foreach (var dup in arms.GroupBy(a => a.Name).Where(g => g.Count() > 1)) errors.Add(new("$.arms", $"the arm name '{dup.Key}' is used twice."));
        return (arms, armPaths);
    }

    /// <summary>Checks each arm's campaigns against the electorate's parties, the channels, the systems and the calendar weeks.</summary>
    private static void CheckCampaigns(List<Arm> arms, List<string> armPaths, ElectorateSpec? spec, List<ChannelSpec> channels, List<ElectoralSystemSpec> systems, int weeks, List<ValidationError> errors)
    {
        var partyNames = spec?.Parties?.Where(p => p is not null).Select(p => p.Name).ToArray() ?? [];
        for (int a = 0; a < arms.Count; a++)
        {
            string ap = armPaths[a];
            if (arms[a].Campaigns.Count == 0) errors.Add(new(ap, "an arm needs at least one campaign."));
            for (int c = 0; c < arms[a].Campaigns.Count; c++)
            {
                var cs = arms[a].Campaigns[c]; string cp = $"{ap}[{c}]";
                errors.AddRange(cs.Validate(cp));
                if (spec is not null && cs.Party != "" && !partyNames.Contains(cs.Party)) errors.Add(new(cp + ".party", $"'{cs.Party}' is not a party of the electorate ({string.Join(", ", partyNames)})."));
                for (int q = 0; q < cs.Channels.Count; q++)
                    if (!channels.Any(x => x.Name == cs.Channels[q])) errors.Add(new($"{cp}.channels[{q}]", $"unknown channel '{cs.Channels[q]}'; known: {string.Join(", ", channels.Select(x => x.Name))}."));
                if (cs.Volunteers is not null && !cs.Channels.Any(name => channels.Any(x => x.Name == name && x.Kind == ChannelKind.Canvass)))
                    errors.Add(new(cp + ".volunteers", $"volunteers canvass: the campaign needs a canvass channel (e.g. \"canvass\"); its channels are {string.Join(", ", cs.Channels)}."));
                if (cs.OptimiseFor is string of && !systems.Any(s => s.Name == of)) errors.Add(new(cp + ".optimiseFor", $"'{of}' is not a system of this scenario."));
                if (cs.Message is { RunsTest: true } m && m.TestWeeks >= weeks)
                    errors.Add(new(cp + ".message.testWeeks", $"the message test must leave at least one week to send the winner: use a whole number of weeks from 0 to {weeks - 1} (the scenario's weeks are {weeks}); got {m.TestWeeks}."));
                foreach (var (sch, shares) in cs.Schedule ?? new Dictionary<string, double[]>()) if (shares is { Length: > 0 } && shares.Length != weeks) errors.Add(new($"{cp}.schedule.{sch}", $"needs one share per week: {weeks} (the scenario's weeks); got {shares.Length}."));
            }
            // One campaign per party and sponsor: a party's own campaign, and at most one third-party and one foreign advertiser working for it.
            foreach (var dup in arms[a].Campaigns.GroupBy(c => (c.Party, c.Sponsor)).Where(g => g.Count() > 1))
                errors.Add(new(ap, dup.Key.Sponsor == Sponsor.Party ? $"party '{dup.Key.Party}' has two campaigns in one arm."
                    : $"party '{dup.Key.Party}' has two {Advertisers.Label(dup.Key.Sponsor)} advertisers in one arm; give one advertiser the combined budget."));
        }
    }

    /// <summary>Refuses message targeting on an attribute the regime in force (with the regulation's targeting rules) bans or cannot supply.</summary>
    private static void CheckMessageTargeting(List<Arm> arms, List<string> armPaths, DataRegime regime, List<ValidationError> errors)
    {
        for (int a = 0; a < arms.Count; a++)
            for (int c = 0; c < arms[a].Campaigns.Count; c++)
                if (arms[a].Campaigns[c].Message?.TargetOn is { } on)
                    for (int k = 0; k < on.Count; k++)
                        if (VoterData.TargetingRefusal(regime, on[k]) is string why) errors.Add(new($"{armPaths[a]}[{c}].message.targetOn[{k}]", $"'{on[k]}' is refused: {why}"));
    }

    /// <summary>
    /// The structure of a scenario file as a JSON Schema object (without the root keywords; see <see cref="FileFormats"/>):
    /// what <see cref="Parse"/> checks before the rules that need the electorate (party and channel names, system names).
    /// </summary>
    public static JsonObject Schema()
    {
        var channel = JsonSchemas.Of(ExperimentsJson.Contract.ChannelSpec);
        channel["required"] = new JsonArray("name");
        var campaigns = JsonSchemas.Array(JsonSchemas.Of(ExperimentsJson.Contract.CampaignSpec), 1);
        var electorate = JsonSchemas.Object(
        [
            ("preset", JsonSchemas.Enum(ElectorateSpec.PresetNames).Describe("A built-in electorate preset.")),
            ("spec", JsonSchemas.Of(ElectorateJson.Contract.ElectorateSpec).Describe("An inline electorate spec.")),
            ("specFile", JsonSchemas.String(nonEmpty: true).Describe("An electorate spec file, relative to this scenario's folder.")),
            ("voters", JsonSchemas.Integer(1000, 50_000_000).Describe("Voters per electorate (default: the spec's defaultVoters).")),
        ]);
        electorate["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("preset") }, new JsonObject { ["required"] = new JsonArray("spec") }, new JsonObject { ["required"] = new JsonArray("specFile") });
        var arm = JsonSchemas.Object(
        [
            ("name", new JsonObject { ["type"] = "string", ["not"] = JsonSchemas.Enum(["", "baseline"]) }),
            ("campaigns", campaigns.DeepClone()),
            ("rounds", JsonSchemas.Integer(1, Arm.MaxRounds).Describe("Best-response rounds (default 1: each campaign plans once, alone). Above 1, each campaign re-plans against its estimate of the others' latest plans until the plans converge or the rounds run out; only the final plans are delivered. Needs two or more campaigns.")),
        ], "name", "campaigns");
        var schema = JsonSchemas.Object(
        [
            ("name", JsonSchemas.String()), ("description", JsonSchemas.String()),
            ("electorate", electorate),
            ("varyElectorate", JsonSchemas.Boolean()),
            ("regime", new JsonObject { ["anyOf"] = new JsonArray(JsonSchemas.String(nonEmpty: true).Describe($"A built-in regime ({string.Join(", ", DataRegime.PresetNames)}) or a regime file relative to this scenario's folder."), JsonSchemas.Of(DataJson.Contract.DataRegime)) }),
            ("regulation", JsonSchemas.Of(ExperimentsJson.Contract.RegulationSpec)),
            ("systems", JsonSchemas.Array(JsonSchemas.Of(ExperimentsJson.Contract.ElectoralSystemSpec), 1)),
            ("evidence", JsonSchemas.Enum(EvidenceSet.PresetNames).Describe("The evidence preset of the built-in channels' effects (default central); channel overrides win over it.")),
            ("weeks", JsonSchemas.Integer(1, 52).Describe("Weeks of the campaign calendar (default 6).")),
            ("network", JsonSchemas.Of(ExperimentsJson.Contract.NetworkSpec).Describe("The online graph (homophily, degrees), the cascades of owned posts over it (acceptance, distance decay) and optional opinion dynamics over the campaign weeks (opinion); default: their defaults, no dynamics.")),
            ("forecast", JsonSchemas.Of(ExperimentsJson.Contract.ForecastError).Describe("How wrong the campaigns' forecasts are: national and regional swing between forecast and election day, and each campaign poll's house effect (shares; default none).")),
            ("channels", JsonSchemas.Array(channel)),
            ("arms", JsonSchemas.Array(arm)),
            ("campaigns", campaigns),
            ("replicates", JsonSchemas.Integer(1, 100_000)),
            ("seed", JsonSchemas.Integer(int.MinValue, int.MaxValue)),
        ], "electorate", "systems");
        schema["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("arms") }, new JsonObject { ["required"] = new JsonArray("campaigns") });
        return schema;
    }

    /// <summary>
    /// The scenario under another evidence preset (<c>workbench simulate --evidence NAME</c>): its JSON is read again with
    /// <c>"evidence"</c> set to <paramref name="evidence"/>, so the scenario's own <c>channels</c> overrides still win over the
    /// preset, then this scenario's replicates, seed and voters are applied again (<see cref="With"/>). Changes made to the
    /// record in code (rather than in its JSON) are not kept.
    /// </summary>
    public Scenario WithEvidence(string evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        if (!EvidenceSet.PresetNames.Contains(evidence)) throw new ArgumentException($"Unknown evidence preset '{evidence}'. Presets: {string.Join(", ", EvidenceSet.PresetNames)}.", nameof(evidence));
        var root = JsonNode.Parse(SelfContainedJson)!.AsObject();
        root["evidence"] = evidence;
        return Parse(root.ToJsonString()).With(Replicates, Seed, Voters);
    }

    /// <summary>
    /// The scenario under another built-in data regime (<c>workbench simulate --regime NAME</c>): its JSON is read again with
    /// <c>"regime"</c> set to <paramref name="regime"/> (so the run's manifest records it), then this scenario's replicates, seed
    /// and voters are applied again. The scenario's regulation block still applies on top of the new regime.
    /// </summary>
    public Scenario WithRegime(string regime)
    {
        ArgumentNullException.ThrowIfNull(regime);
        if (!DataRegime.PresetNames.Contains(regime)) throw new ArgumentException($"Unknown data regime '{regime}'. Regimes: {string.Join(", ", DataRegime.PresetNames)}.", nameof(regime));
        var root = JsonNode.Parse(SelfContainedJson)!.AsObject();
        root["regime"] = regime;
        return Parse(root.ToJsonString()).With(Replicates, Seed, Voters);
    }

    /// <summary>
    /// The scenario with replicates, seed and/or voters replaced (command-line and notebook overrides). A new
    /// number of voters scales every campaign budget, volunteer count, message test charge, channel capacity and spending cap (the party cap and the third-party limit) in proportion (not minimum audiences: those count people, for the regime and a regulation alike), so spend per voter —
    /// and hence the campaign's intensity — stays what the scenario describes.
    /// </summary>
    public Scenario With(int? replicates = null, int? seed = null, int? voters = null)
    {
        if (replicates is < 1 or > 100_000) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "replicates must be between 1 and 100,000.");
        if (voters is < 1000 or > 50_000_000) throw new ArgumentOutOfRangeException(nameof(voters), voters, "voters must be between 1,000 and 50,000,000.");
        var scaled = this with { Replicates = replicates ?? Replicates, Seed = seed ?? Seed };
        if (voters is not int v || v == Voters) return scaled;
        // Budgets and capacities are for the modelled electorate: scale them so spend per voter is unchanged.
        double f = (double)v / Voters;
        return scaled with
        {
            Voters = v,
            // Volunteers too (rounded to whole volunteers), so door attempts per voter are unchanged.
            Arms = Arms.Select(a => a with { Campaigns = a.Campaigns.Select(c => c with
            {
                Budget = c.Budget * f,
                Volunteers = c.Volunteers is { } vs ? vs with { Count = (int)Math.Min(10_000_000, Math.Round(vs.Count * f)) } : null,
                // The message test's charge too, so that it costs the same share of the budget.
                Message = c.Message is { } m ? m with { ChargeScale = m.ChargeScale * f } : null,
            }).ToArray() }).ToArray(),
            Channels = Channels.Select(c => c.Capacity is double cap ? c with { Capacity = cap * f } : c).ToArray(),
            // A minimum audience is a number of people on the platform, like the regime's: neither is scaled.
            Regulation = Regulation is null ? null : Regulation with { SpendingCap = Regulation.SpendingCap * f, ThirdPartyCap = Regulation.ThirdPartyCap * f },
        };
    }
}

/// <summary>
/// The top level of a scenario file, read loosely so that <see cref="Scenario.Parse"/> reports every problem at once in its
/// own words: the scalar fields as <see cref="Loose{T}"/>, the blocks (each a preset name, a file, an object or an array, as the
/// format allows) as written, for the block readers of <see cref="Scenario.Parse"/> and their own contracts, and the fields the
/// format does not have collected in file order (docs/file-formats.md, "Contracts").
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record ScenarioFileContract
{
    /// <summary>Scenario name.</summary>
    public Loose<string> Name { get; init; }
    /// <summary>What the scenario asks.</summary>
    public Loose<string> Description { get; init; }
    /// <summary>The electorate: a preset, an inline spec or a spec file, with the number of voters.</summary>
    public Loose<ScenarioElectorateContract> Electorate { get; init; }
    /// <summary>Whether every replicate generates its own electorate.</summary>
    public Loose<bool> VaryElectorate { get; init; }
    /// <summary>The data regime: a preset name, a regime file or an inline object.</summary>
    public JsonNode? Regime { get; init; }
    /// <summary>The regulation block.</summary>
    public JsonNode? Regulation { get; init; }
    /// <summary>The electoral systems.</summary>
    public JsonNode? Systems { get; init; }
    /// <summary>The evidence preset's name.</summary>
    public JsonNode? Evidence { get; init; }
    /// <summary>Weeks of the campaign calendar.</summary>
    public JsonNode? Weeks { get; init; }
    /// <summary>The forecast error block.</summary>
    public JsonNode? Forecast { get; init; }
    /// <summary>The network block.</summary>
    public JsonNode? Network { get; init; }
    /// <summary>Channel overrides and new channels.</summary>
    public JsonNode? Channels { get; init; }
    /// <summary>The arms of campaigns.</summary>
    public Loose<IReadOnlyList<Loose<ScenarioArmContract>>> Arms { get; init; }
    /// <summary>The campaigns of a single arm (shorthand for <c>arms</c>), as written: read through <see cref="CampaignSpec"/>'s contract.</summary>
    public Loose<JsonArray> Campaigns { get; init; }
    /// <summary>Replicates.</summary>
    public Loose<int> Replicates { get; init; }
    /// <summary>Master seed.</summary>
    public Loose<int> Seed { get; init; }
    /// <summary>Fields the format does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>
/// A scenario's <c>electorate</c> block, read loosely like <see cref="ScenarioFileContract"/> so that every problem is reported
/// at once in the format's own words: <c>preset</c>, <c>specFile</c> and <c>voters</c> as <see cref="Loose{T}"/>, <c>spec</c>
/// as the object written (an electorate spec, which <see cref="ElectorateSpec.Read"/> reads through its own contract with the
/// spec's paths, after the scenario's checks decided that it is the one source given), and the fields the block does not have
/// collected in file order.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record ScenarioElectorateContract
{
    /// <summary>A built-in electorate preset's name.</summary>
    public Loose<string> Preset { get; init; }
    /// <summary>An inline electorate spec, as written.</summary>
    public Loose<JsonObject> Spec { get; init; }
    /// <summary>An electorate spec file, relative to the scenario's folder.</summary>
    public Loose<string> SpecFile { get; init; }
    /// <summary>Voters per electorate.</summary>
    public Loose<int> Voters { get; init; }
    /// <summary>Fields the block does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>
/// One arm of a scenario's <c>arms</c>, read loosely (see <see cref="ScenarioElectorateContract"/>): <c>name</c> and
/// <c>rounds</c> as <see cref="Loose{T}"/>, <c>campaigns</c> as the array written (read through <see cref="CampaignSpec"/>'s
/// contract once the arm is known to have one, so each campaign's errors carry the arm's path), and the fields an arm does not
/// have collected in file order.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Skip)]
internal sealed record ScenarioArmContract
{
    /// <summary>The arm's name.</summary>
    public Loose<string> Name { get; init; }
    /// <summary>The arm's campaigns, as written.</summary>
    public Loose<JsonArray> Campaigns { get; init; }
    /// <summary>Best-response rounds.</summary>
    public Loose<int> Rounds { get; init; }
    /// <summary>Fields an arm does not have, in file order (each an error).</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Unknown { get; set; }
}
