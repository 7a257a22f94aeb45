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

namespace Workbench.Experiments;

/// <summary>A named set of campaigns run together against the same baseline.</summary>
public sealed record Arm(string Name, IReadOnlyList<CampaignSpec> Campaigns);

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
    /// <summary>A channel as campaigns actually use it (the regulation's silence period applied).</summary>
    public ChannelSpec EffectiveChannel(string name) => Regulation?.Apply(Channel(name)) ?? Channel(name);
    /// <summary>The evidence preset the built-in channels' effects come from (JSON <c>evidence</c>; default central). The scenario's <c>channels</c> overrides win over it.</summary>
    public EvidenceSet Evidence { get; init; } = EvidenceSet.Central;
    /// <summary>Weeks of the campaign calendar (JSON <c>weeks</c>, 1–52, default <see cref="Persistence.DefaultWeeks"/>); campaign schedules give one share per week.</summary>
    public int Weeks { get; init; } = Persistence.DefaultWeeks;
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

    internal static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly string[] Known = ["name", "description", "electorate", "varyElectorate", "regime", "regulation", "systems", "evidence", "weeks", "channels", "arms", "campaigns", "replicates", "seed"];

    /// <summary>Names of the scenarios shipped in notebooks/scenarios (embedded in the library, so they work from any folder, offline).</summary>
    public static IReadOnlyList<string> BuiltinNames { get; } =
        EmbeddedJson.Names("Scenarios");

    /// <summary>A shipped scenario by name (e.g. "fptp-vs-pr").</summary>
    public static Scenario Builtin(string name)
    {
        if (!BuiltinNames.Contains(name)) throw new ArgumentException($"Unknown scenario '{name}'. Built-in scenarios: {string.Join(", ", BuiltinNames)}.", nameof(name));
        return Parse(EmbeddedJson.Read("Scenarios", name));
    }

    /// <summary>Loads a scenario file (relative electorate spec and regime files resolve against its folder).</summary>
    public static Scenario Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Scenario file '{path}' does not exist.", path);
        return Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Parses and validates a scenario; every error is reported with its JSON path in one <see cref="SpecValidationException"/>.</summary>
    public static Scenario Parse(string json, string? baseDirectory = null)
    {
        var errors = new List<ValidationError>();
        JsonObject root;
        try { root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject ?? throw new JsonException("the scenario must be a JSON object."); }
        catch (JsonException ex) { throw new SpecValidationException([new ValidationError("$", ex.Message)]); }
        foreach (var (key, _) in root) if (!Known.Contains(key)) errors.Add(new($"$.{key}", $"unknown field; known fields: {string.Join(", ", Known)}."));

        T? Read<T>(JsonNode? node, string path) where T : class
        {
            if (node is null) return null;
            try { return node.Deserialize<T>(Options); }
            catch (JsonException ex) { errors.Add(new(path + (ex.Path is { Length: > 1 } p ? p[1..] : ""), ex.Message)); return null; }
        }
        string Str(string key, string dflt = "") => root[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : dflt;

        // Electorate: { preset, voters } or { spec: {...} | specFile: "path", voters }.
        ElectorateSpec? spec = null; string? preset = null; int voters = 0;
        if (root["electorate"] is not JsonObject eo) errors.Add(new("$.electorate", "required: { \"preset\": NAME, \"voters\": N } or { \"spec\": {...}, \"voters\": N }."));
        else
        {
            foreach (var (key, _) in eo) if (key is not ("preset" or "spec" or "specFile" or "voters")) errors.Add(new($"$.electorate.{key}", "unknown field; known: preset, spec, specFile, voters."));
            try
            {
                if (eo["preset"] is JsonValue pv) { preset = pv.GetValue<string>(); spec = ElectorateSpec.Preset(preset); }
                else if (eo["spec"] is JsonObject so) { spec = ElectorateSpec.FromJson(so.ToJsonString()); errors.AddRange(spec.Validate().Select(er => er with { Path = "$.electorate.spec" + er.Path.TrimStart('$') })); }
                else if (eo["specFile"] is JsonValue fv) spec = ElectorateSpec.Load(Path.Combine(baseDirectory ?? ".", fv.GetValue<string>()));
                else errors.Add(new("$.electorate", "give a preset, a spec or a specFile."));
            }
            catch (SpecValidationException ex) { errors.AddRange(ex.Errors.Select(er => er with { Path = "$.electorate.spec" + er.Path.TrimStart('$') })); }
            catch (Exception ex) when (ex is IOException or InvalidOperationException) { errors.Add(new("$.electorate.specFile", ex.Message)); }
            catch (ArgumentException ex) { errors.Add(new("$.electorate.preset", ex.Message)); }
            if (eo["voters"] is JsonNode vn)
            {
                if (vn.GetValueKind() != JsonValueKind.Number || !vn.AsValue().TryGetValue<int>(out voters) || voters < 1000 || voters > 50_000_000)
                    errors.Add(new("$.electorate.voters", "must be a whole number between 1,000 and 50,000,000."));
            }
            else voters = spec?.DefaultVoters ?? 0;
        }

        // Regime: a preset name, a file, or an inline object.
        DataRegime? regime = null;
        try
        {
            regime = root["regime"] switch
            {
                null => DataRegime.Preset("us-like"),
                JsonValue rv when rv.GetValue<string>() is var name && DataRegime.PresetNames.Contains(name) => DataRegime.Preset(name),
                JsonValue rv => DataRegime.FromJson(File.ReadAllText(Path.Combine(baseDirectory ?? ".", rv.GetValue<string>()))),
                JsonObject ro => DataRegime.FromJson(ro.ToJsonString()),
                _ => throw new SpecValidationException([new ValidationError("$.regime", "must be a preset name, a file or an object.")]),
            };
            errors.AddRange(regime.Validate().Select(er => er with { Path = "$.regime" + er.Path.TrimStart('$') }));
        }
        catch (SpecValidationException ex) { errors.AddRange(ex.Errors.Select(er => er with { Path = "$.regime" + er.Path.TrimStart('$') })); }
        catch (Exception ex) when (ex is IOException or InvalidOperationException || ex.GetType() == typeof(ArgumentException)) { errors.Add(new("$.regime", $"not a preset ({string.Join(", ", DataRegime.PresetNames)}) and not a readable regime file: {ex.Message}")); }

        // Regulation.
        Workbench.Regulation.RegulationSpec? regulation = null;
        if (root["regulation"] is JsonObject rg)
        {
            regulation = Read<Workbench.Regulation.RegulationSpec>(rg, "$.regulation");
            if (regulation is not null) errors.AddRange(regulation.Validate("$.regulation"));
        }
        else if (root["regulation"] is not null) errors.Add(new("$.regulation", "must be an object."));

        // Systems.
        var systems = Read<List<ElectoralSystemSpec>>(root["systems"], "$.systems") ?? [];
        if (root["systems"] is null) errors.Add(new("$.systems", "required: at least one system, e.g. [{ \"name\": \"FPTP\", \"type\": \"fptp\" }]."));
        for (int s = 0; s < systems.Count; s++) errors.AddRange(systems[s].Validate($"$.systems[{s}]", spec?.Constituencies ?? 1));
        foreach (var dup in systems.GroupBy(s => s.Name).Where(g => g.Count() > 1)) errors.Add(new("$.systems", $"the system name '{dup.Key}' is used twice."));

        // Evidence preset (default central) and calendar weeks (1–52, default 6).
        var evidence = EvidenceSet.Central;
        if (root["evidence"] is JsonNode ev) { if (ev is JsonValue evv && evv.TryGetValue<string>(out var evName) && EvidenceSet.PresetNames.Contains(evName)) evidence = EvidenceSet.Preset(evName); else errors.Add(new("$.evidence", $"must be an evidence preset name ({string.Join(", ", EvidenceSet.PresetNames)}); got {ev.ToJsonString()}.")); }
        int weeks = Persistence.DefaultWeeks;
        if (root["weeks"] is JsonNode wn && (wn.GetValueKind() != JsonValueKind.Number || !wn.AsValue().TryGetValue(out weeks) || weeks < 1 || weeks > 52)) errors.Add(new("$.weeks", $"must be a whole number of weeks between 1 and 52; got {wn.ToJsonString()}."));

        // Channels: built-ins (with the evidence preset's effects), overridden or extended by the scenario.
        var channels = Behaviour.Channels.For(evidence).ToList();
        if (root["channels"] is JsonArray ca)
        {
            for (int c = 0; c < ca.Count; c++)
            {
                string path = $"$.channels[{c}]";
                if (ca[c] is not JsonObject co || co["name"] is not JsonValue nv || !nv.TryGetValue<string>(out var cname)) { errors.Add(new(path + ".name", "each channel needs a name.")); continue; }
                int at = channels.FindIndex(x => x.Name == cname);
                JsonObject merged = at >= 0 ? (JsonObject)JsonSerializer.SerializeToNode(channels[at], Options)! : [];
                foreach (var (key, value) in co) merged[key] = value?.DeepClone();
                if (at < 0 && co["kind"] is null) { errors.Add(new(path + ".kind", $"'{cname}' is not a built-in channel ({string.Join(", ", Behaviour.Channels.Names)}), so it needs a kind.")); continue; }
                var ch = Read<ChannelSpec>(merged, path);
                if (ch is null) continue;
                errors.AddRange(ch.Validate(path));
                if (at >= 0) channels[at] = ch; else channels.Add(ch);
            }
        }
        else if (root["channels"] is not null) errors.Add(new("$.channels", "must be an array of channel objects."));

        // Arms (or the campaigns shorthand).
        var arms = new List<Arm>();
        if (root["arms"] is JsonArray aa)
        {
            for (int a = 0; a < aa.Count; a++)
            {
                var name = aa[a]?["name"]?.GetValue<string>() ?? "";
                if (name is "" or "baseline") errors.Add(new($"$.arms[{a}].name", "each arm needs a name other than 'baseline'."));
                var cs = Read<List<CampaignSpec>>(aa[a]?["campaigns"], $"$.arms[{a}].campaigns") ?? [];
                arms.Add(new Arm(name, cs));
            }
            if (root["campaigns"] is not null) errors.Add(new("$.campaigns", "give either arms or campaigns, not both."));
        }
        else if (root["campaigns"] is JsonNode cn) arms.Add(new Arm("campaign", Read<List<CampaignSpec>>(cn, "$.campaigns") ?? []));
        else errors.Add(new("$.arms", "required: arms [{ name, campaigns }] or campaigns [...]."));
        foreach (var dup in arms.GroupBy(a => a.Name).Where(g => g.Count() > 1)) errors.Add(new("$.arms", $"the arm name '{dup.Key}' is used twice."));
        var partyNames = spec?.Parties.Select(p => p.Name).ToArray() ?? [];
        for (int a = 0; a < arms.Count; a++)
        {
            string ap = root["arms"] is null ? "$.campaigns" : $"$.arms[{a}].campaigns";
            if (arms[a].Campaigns.Count == 0) errors.Add(new(ap, "an arm needs at least one campaign."));
            for (int c = 0; c < arms[a].Campaigns.Count; c++)
            {
                var cs = arms[a].Campaigns[c]; string cp = $"{ap}[{c}]";
                errors.AddRange(cs.Validate(cp));
                if (spec is not null && cs.Party != "" && !partyNames.Contains(cs.Party)) errors.Add(new(cp + ".party", $"'{cs.Party}' is not a party of the electorate ({string.Join(", ", partyNames)})."));
                for (int q = 0; q < cs.Channels.Count; q++)
                    if (!channels.Any(x => x.Name == cs.Channels[q])) errors.Add(new($"{cp}.channels[{q}]", $"unknown channel '{cs.Channels[q]}'; known: {string.Join(", ", channels.Select(x => x.Name))}."));
                if (cs.OptimiseFor is string of && !systems.Any(s => s.Name == of)) errors.Add(new(cp + ".optimiseFor", $"'{of}' is not a system of this scenario."));
                foreach (var (sch, shares) in cs.Schedule ?? new Dictionary<string, double[]>()) if (shares is { Length: > 0 } && shares.Length != weeks) errors.Add(new($"{cp}.schedule.{sch}", $"needs one share per week: {weeks} (the scenario's weeks); got {shares.Length}."));
            }
            foreach (var dup in arms[a].Campaigns.GroupBy(c => c.Party).Where(g => g.Count() > 1)) errors.Add(new(ap, $"party '{dup.Key}' has two campaigns in one arm."));
        }

        int replicates = 10, seed = Random.Seeds.Default;
        if (root["replicates"] is JsonNode rn && (rn.GetValueKind() != JsonValueKind.Number || !rn.AsValue().TryGetValue(out replicates) || replicates < 1 || replicates > 100_000))
            errors.Add(new("$.replicates", "must be a whole number between 1 and 100,000."));
        if (root["seed"] is JsonNode sn && (sn.GetValueKind() != JsonValueKind.Number || !sn.AsValue().TryGetValue(out seed)))
            errors.Add(new("$.seed", "must be a 32-bit integer."));
        bool vary = true;
        if (root["varyElectorate"] is JsonNode vn2 && (vn2.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))) errors.Add(new("$.varyElectorate", "must be true or false."));
        else if (root["varyElectorate"] is JsonNode vn3) vary = vn3.GetValue<bool>();

        Parameters.ThrowIfAny(errors);
        return new Scenario
        {
            Name = Str("name", "scenario"), Description = Str("description"), Electorate = spec!, Preset = preset, Voters = voters,
            VaryElectorate = vary, Regime = regime!, Regulation = regulation, Systems = systems, Channels = channels, Arms = arms,
            Replicates = replicates, Seed = seed, Json = root.ToJsonString(), Evidence = evidence, Weeks = weeks,
        };
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
    /// The scenario with replicates, seed and/or voters replaced (command-line and notebook overrides). A new
    /// number of voters scales every campaign budget, channel capacity, spending cap and regulated minimum audience in proportion, so spend per voter —
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
            Arms = Arms.Select(a => a with { Campaigns = a.Campaigns.Select(c => c with { Budget = c.Budget * f }).ToArray() }).ToArray(),
            Channels = Channels.Select(c => c.Capacity is double cap ? c with { Capacity = cap * f } : c).ToArray(),
            Regulation = Regulation is null ? null : Regulation with
            {
                SpendingCap = Regulation.SpendingCap * f,
                MinimumAudience = Regulation.MinimumAudience is int ma ? Math.Max(1, (int)Math.Round(ma * f)) : null,
            },
        };
    }
}
