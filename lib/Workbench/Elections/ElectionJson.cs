using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Json;

namespace Workbench.Elections;

/// <summary>
/// The JSON contract of <c>workbench allocate</c> and <c>workbench indices</c> (see
/// docs/elections.md). Parsing reports the offending field by its JSON path.
/// </summary>
public static class ElectionJson
{
    private static readonly Dictionary<string, Method> Methods = new()
    {
        ["dhondt"] = Method.DHondt, ["sainte-lague"] = Method.SainteLague, ["modified-sainte-lague"] = Method.ModifiedSainteLague,
        ["imperiali"] = Method.Imperiali, ["huntington-hill"] = Method.HuntingtonHill, ["danish"] = Method.Danish,
        ["hare"] = Method.Hare, ["droop"] = Method.Droop, ["imperiali-quota"] = Method.ImperialiQuota, ["fptp"] = Method.Fptp,
    };

    /// <summary>The JSON name of a method.</summary>
    public static string Name(Method m) => Methods.First(kv => kv.Value == m).Key;

    private static Exception Bad(string path, string message) => new SpecValidationException([new ValidationError(path, message)]);

    /// <summary>Parses a method name (dhondt, sainte-lague, …); an unknown name is a validation error at <paramref name="path"/>.</summary>
    public static Method ParseMethodName(string name, string path) =>
        Methods.TryGetValue(name, out var m) ? m : throw Bad(path, $"unknown method '{name}'; expected one of {string.Join(", ", Methods.Keys)}.");

    private static Method ParseMethod(JsonNode? node, string path)
    {
        var s = node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        if (s is null || !Methods.TryGetValue(s, out var m))
            throw Bad(path, $"unknown method '{node?.ToJsonString()}'; expected one of {string.Join(", ", Methods.Keys)}.");
        return m;
    }

    private static long ParseVotes(JsonNode? node, string path)
    {
        if (node is null || node.GetValueKind() != JsonValueKind.Number) throw Bad(path, "must be a number of votes.");
        double d = node.GetValue<double>();
        if (d < 0) throw Bad(path, $"negative votes ({d}).");
        if (d != Math.Floor(d) || d > ElectionLimits.MaxVotes) throw Bad(path, $"votes must be a whole number in [0, {ElectionLimits.MaxVotes:N0}] (the limit); got {d}.");
        return (long)d;
    }

    private static int ParseInt(JsonNode? node, string path, int min = 0, int max = ElectionLimits.MaxSeats)
    {
        if (node is null || node.GetValueKind() != JsonValueKind.Number) throw Bad(path, "must be a whole number.");
        double d = node.GetValue<double>();
        if (d != Math.Floor(d) || d < min || d > max) throw Bad(path, $"must be a whole number in [{min}, {max}]; got {d}.");
        return (int)d;
    }

    private static double ParseDouble(JsonNode? node, string path, double min, double max)
    {
        if (node is null || node.GetValueKind() != JsonValueKind.Number) throw Bad(path, "must be a number.");
        double d = node.GetValue<double>();
        if (!(d >= min && d <= max)) throw Bad(path, $"{d} is outside [{min}, {max}].");
        return d;
    }

    private static string ParseEnum(JsonNode? node, string path, params string[] allowed)
    {
        var s = node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
        if (s is null || !allowed.Contains(s)) throw Bad(path, $"'{node?.ToJsonString()}' is not one of {string.Join(", ", allowed)}.");
        return s;
    }

    private static void KnownKeys(JsonObject o, string path, params string[] keys)
    {
        foreach (var kv in o)
        {
            if (!keys.Contains(kv.Key)) throw Bad(Workbench.Json.JsonInput.Member(path, kv.Key), $"unknown field; expected one of {string.Join(", ", keys)}.");
            if (kv.Value is null) throw Bad(Workbench.Json.JsonInput.Member(path, kv.Key), "must not be null.");
        }
    }

    /// <summary>The structure of the allocate input as a JSON Schema object.</summary>
    public static JsonObject AllocateSchema()
    {
        var votes = Workbench.Json.JsonSchemas.Integer(0, 1_000_000_000_000_000);
        var partyVotes = Workbench.Json.JsonSchemas.Map(votes);
        var method = Workbench.Json.JsonSchemas.Enum(Methods.Keys);
        var seats = Workbench.Json.JsonSchemas.Integer(0, 1_000_000);
        var district = Workbench.Json.JsonSchemas.Object(
        [
            ("name", Workbench.Json.JsonSchemas.String()), ("seats", seats.DeepClone()), ("method", method.DeepClone()),
            ("votes", partyVotes.DeepClone()), ("blank", votes.DeepClone()), ("secondRound", partyVotes.DeepClone()),
        ], "votes");
        var threshold = Workbench.Json.JsonSchemas.Object(
        [
            ("share", Workbench.Json.JsonSchemas.Number(0, 1)), ("scope", Workbench.Json.JsonSchemas.Enum(["district", "national"])),
            ("base", Workbench.Json.JsonSchemas.Enum(["valid", "valid-including-blank"])), ("quota", Workbench.Json.JsonSchemas.Number(0, 1000)),
            ("exempt", Workbench.Json.JsonSchemas.Array(Workbench.Json.JsonSchemas.String())), ("partyShares", Workbench.Json.JsonSchemas.Map(Workbench.Json.JsonSchemas.Number(0, 1))),
            ("electorateSeats", Workbench.Json.JsonSchemas.Integer(1, 1_000_000)),
        ]);
        var schema = Workbench.Json.JsonSchemas.Object(
        [
            ("method", method), ("firstDivisor", Workbench.Json.JsonSchemas.Number(1e-6, 1e6)), ("seats", seats),
            ("threshold", threshold), ("blank", votes.DeepClone()), ("votes", partyVotes),
            ("districts", Workbench.Json.JsonSchemas.Array(district, 1)),
            ("apportionment", Workbench.Json.JsonSchemas.Object([("method", method.DeepClone()), ("by", Workbench.Json.JsonSchemas.Enum(["valid-votes"]))], "method")),
            ("tieBreak", Workbench.Json.JsonSchemas.Enum(["more-votes", "lot", "error"])), ("seed", Workbench.Json.JsonSchemas.Integer(0, 1_000_000)),
            ("system", Workbench.Json.JsonSchemas.Enum(["list", "mmp", "parallel", "two-round"])),
            ("constituencySeats", Workbench.Json.JsonSchemas.Map(Workbench.Json.JsonSchemas.Integer(0, 1_000_000))),
            ("overhang", Workbench.Json.JsonSchemas.Enum(["keep", "level", "cap"])),
        ], "method");
        schema["oneOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("votes") }, new JsonObject { ["required"] = new JsonArray("districts") });
        return schema;
    }

    /// <summary>The structure of the indices input as a JSON Schema object.</summary>
    public static JsonObject IndicesSchema()
    {
        var votes = Workbench.Json.JsonSchemas.Map(Workbench.Json.JsonSchemas.Integer(0, 1_000_000_000_000_000));
        return Workbench.Json.JsonSchemas.Object(
        [
            ("votes", votes), ("seats", Workbench.Json.JsonSchemas.Map(Workbench.Json.JsonSchemas.Integer(0, 1_000_000))),
            ("districts", Workbench.Json.JsonSchemas.Array(votes.DeepClone()).Describe("Two-party votes per district, for the efficiency gap.")),
        ], "votes", "seats");
    }

    /// <summary>Parses the allocate input.</summary>
    public static ElectionInput Parse(string json)
    {
        var o = Workbench.Json.JsonInput.ParseObject(json, "an allocate input");
        KnownKeys(o, "$", "method", "firstDivisor", "seats", "threshold", "blank", "votes", "districts", "apportionment", "tieBreak", "seed",
            "system", "constituencySeats", "overhang");
        if (!o.ContainsKey("method")) throw Bad("$.method", "is required.");
        var method = ParseMethod(o["method"], "$.method");
        var first = ParseFirstDivisor(o);
        int? seats = o["seats"] is { } sn ? ParseInt(sn, "$.seats") : null;
        var (parties, index, districtsNode) = CollectParties(o);
        var districts = ParseDistricts(o, districtsNode, method, seats, parties, index);
        var apportionment = ParseApportionment(o, districts);
        var threshold = ParseThreshold(o);

        var tieBreak = o["tieBreak"] is { } tb ? ParseEnum(tb, "$.tieBreak", "more-votes", "lot", "error") switch
        {
            "lot" => TieBreak.Lot, "error" => TieBreak.Error, _ => TieBreak.MoreVotes,
        } : TieBreak.MoreVotes;
        int seed = o["seed"] is { } sd ? ParseInt(sd, "$.seed", 0, 1_000_000) : 1;
        string system = o["system"] is { } sy ? ParseEnum(sy, "$.system", "list", "mmp", "parallel", "two-round") : "list";
        var cs = ParseConstituencySeats(o, parties, index, ref districts);
        if (system is "mmp" or "parallel" && cs is null) throw Bad("$.constituencySeats", $"a {system} system needs the constituency seats won per party.");
        string overhang = o["overhang"] is { } oh ? ParseEnum(oh, "$.overhang", "keep", "level", "cap") : "keep";
        if (method == Method.Fptp && system == "list")
            for (int k = 0; k < districts.Count; k++)
                if (districts[k].Seats is int s1 && s1 != 1) throw Bad($"$.districts[{k}].seats", "fptp elects one member per district.");
        return new ElectionInput
        {
            Method = method, FirstDivisor = first, Seats = seats, Threshold = threshold, Parties = parties, Districts = districts,
            ApportionmentMethod = apportionment, TieBreak = tieBreak, Seed = seed, System = system, ConstituencySeats = cs, Overhang = overhang,
        };
    }

    /// <summary>Reads $.firstDivisor as the exact rational first divisor (7/5, the modified Sainte-Laguë default, when absent).</summary>
    private static (long, long) ParseFirstDivisor(JsonObject o)
    {
        (long, long) first = (7, 5);
        if (o["firstDivisor"] is { } fd)
        {
            double f = ParseDouble(fd, "$.firstDivisor", 1e-6, ElectionLimits.MaxFirstDivisor);
            if (f >= ElectionLimits.MaxFirstDivisor) throw Bad("$.firstDivisor", $"{f} must be below {ElectionLimits.MaxFirstDivisor}, the second divisor, so that the divisors increase.");
            first = Apportion.Rational(f);
        }
        return first;
    }

    /// <summary>Checks the shape of $.votes / $.districts and collects the parties in order of first appearance (refused as soon as there are more than the limit).</summary>
    private static (List<string> Parties, Dictionary<string, int> Index, JsonArray? DistrictsNode) CollectParties(JsonObject o)
    {
        // Parties in order of first appearance (refused as soon as there are more than the limit).
        var parties = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        void Collect(JsonNode? votes, string path)
        {
            if (votes is not JsonObject vo) throw Bad(path, "must be an object of party: votes.");
            foreach (var kv in vo)
                if (index.TryAdd(kv.Key, parties.Count))
                {
                    if (parties.Count == ElectionLimits.MaxParties)
                        throw Bad(path, $"more than {ElectionLimits.MaxParties:N0} parties (the limit; this input names {vo.Count:N0} here).");
                    parties.Add(kv.Key);
                }
        }
        var districtsNode = o["districts"] as JsonArray;
        if (o["districts"] is not null && districtsNode is null) throw Bad("$.districts", "must be an array.");
        if (districtsNode is null && o["votes"] is null) throw Bad("$.votes", "is required (or districts).");
        if (districtsNode is not null && o["votes"] is not null) throw Bad("$.votes", "give either votes (one district) or districts, not both.");
        if (districtsNode is not null && districtsNode.Count > ElectionLimits.MaxDistricts)
            throw Bad("$.districts", $"{districtsNode.Count:N0} districts; at most {ElectionLimits.MaxDistricts:N0} are allowed.");
        if (districtsNode is null) Collect(o["votes"], "$.votes");
        else for (int k = 0; k < districtsNode.Count; k++)
            {
                if (districtsNode[k] is not JsonObject dobj) throw Bad($"$.districts[{k}]", "must be an object.");
                Collect(dobj["votes"], $"$.districts[{k}].votes");
            }
        if (parties.Count == 0) throw Bad(districtsNode is null ? "$.votes" : "$.districts[0].votes", "no parties.");
        int districtCount = districtsNode?.Count ?? 1;
        if ((long)parties.Count * districtCount > ElectionLimits.MaxCells)
            throw Bad("$.districts", $"{parties.Count:N0} parties × {districtCount:N0} districts = {(long)parties.Count * districtCount:N0} vote counts; at most {ElectionLimits.MaxCells:N0} are allowed.");
        return (parties, index, districtsNode);
    }

    /// <summary>One district's votes per party, in the order of <paramref name="parties"/>.</summary>
    private static long[] VotesOf(JsonObject vo, string path, List<string> parties, Dictionary<string, int> index)
    {
        var v = new long[parties.Count];
        foreach (var kv in vo) v[index[kv.Key]] = ParseVotes(kv.Value, $"{path}.{kv.Key}");
        return v;
    }

    /// <summary>Reads the districts: the one national district of $.votes, or each of $.districts with its name, seats, method, blank votes and second round.</summary>
    private static List<District> ParseDistricts(JsonObject o, JsonArray? districtsNode, Method method, int? seats, List<string> parties, Dictionary<string, int> index)
    {
        var districts = new List<District>();
        if (districtsNode is null)
        {
            if (seats is null) throw Bad("$.seats", "is required.");
            long blank = o["blank"] is { } b ? ParseVotes(b, "$.blank") : 0;
            districts.Add(new District("national", method == Method.Fptp ? 1 : seats, null, VotesOf((JsonObject)o["votes"]!, "$.votes", parties, index), blank));
        }
        else
        {
            if (districtsNode.Count == 0) throw Bad("$.districts", "must not be empty.");
            var names = new HashSet<string>();
            for (int k = 0; k < districtsNode.Count; k++) districts.Add(ParseDistrict((JsonObject)districtsNode[k]!, k, method, names, parties, index));
        }
        return districts;
    }

    /// <summary>Reads $.districts[<paramref name="k"/>]: its name (unique), seats, method, blank votes, votes and second-round votes.</summary>
    private static District ParseDistrict(JsonObject d, int k, Method method, HashSet<string> names, List<string> parties, Dictionary<string, int> index)
    {
        string p = $"$.districts[{k}]";
        KnownKeys(d, p, "name", "seats", "method", "votes", "blank", "secondRound");
        if (d["name"] is { } nn && nn.GetValueKind() != JsonValueKind.String) throw Bad(p + ".name", "must be a string.");
        string name = d["name"] is { } n0 ? n0.GetValue<string>() : $"district {k + 1}";
        if (!names.Add(name)) throw Bad(p + ".name", $"'{name}' is used by another district.");
        int? ds = d["seats"] is { } dsn ? ParseInt(dsn, p + ".seats") : (method == Method.Fptp && d["method"] is null ? 1 : null);
        Method? dm = d["method"] is { } dmn ? ParseMethod(dmn, p + ".method") : null;
        long blank = d["blank"] is { } b ? ParseVotes(b, p + ".blank") : 0;
        long[]? second = null;
        if (d["secondRound"] is not (null or JsonObject)) throw Bad(p + ".secondRound", $"expected an object of party: votes, got {Workbench.Json.JsonInput.Kind(d["secondRound"])}.");
        if (d["name"] is not (null or JsonValue) || d["name"] is JsonValue nv0 && nv0.GetValueKind() != JsonValueKind.String) throw Bad(p + ".name", $"expected a string, got {Workbench.Json.JsonInput.Kind(d["name"])}.");
        if (d["secondRound"] is JsonObject sr)
        {
            second = new long[parties.Count];
            foreach (var kv in sr)
            {
                if (!index.TryGetValue(kv.Key, out int j)) throw Bad($"{p}.secondRound.{kv.Key}", "a party that had no first-round votes.");
                second[j] = ParseVotes(kv.Value, $"{p}.secondRound.{kv.Key}");
            }
        }
        else if (d["secondRound"] is not null) throw Bad(p + ".secondRound", "must be an object of party: votes.");
        return new District(name, ds, dm, VotesOf((JsonObject)d["votes"]!, p + ".votes", parties, index), blank, second);
    }

    /// <summary>Reads $.apportionment (the method that gives districts without seats theirs) and checks every district has seats or a rule.</summary>
    private static Method? ParseApportionment(JsonObject o, List<District> districts)
    {
        Method? apportionment = null;
        if (o["apportionment"] is JsonObject ap)
        {
            KnownKeys(ap, "$.apportionment", "method", "by");
            apportionment = ParseMethod(ap["method"], "$.apportionment.method");
            if (ap["by"] is { } by) ParseEnum(by, "$.apportionment.by", "valid-votes");
        }
        else if (o["apportionment"] is not null) throw Bad("$.apportionment", "must be an object.");
        for (int k = 0; k < districts.Count; k++)
            if (districts[k].Seats is null && apportionment is null)
                throw Bad($"$.districts[{k}].seats", $"district '{districts[k].Name}' has no seats and there is no apportionment rule.");
        return apportionment;
    }

    /// <summary>Reads $.threshold: share, scope, base, quota, exempt parties, per-party shares and the electorate-seat exemption.</summary>
    private static Threshold? ParseThreshold(JsonObject o)
    {
        Threshold? threshold = null;
        if (o["threshold"] is JsonObject t)
        {
            KnownKeys(t, "$.threshold", "share", "scope", "base", "quota", "exempt", "partyShares", "electorateSeats");
            var partyShares = new Dictionary<string, double>();
            if (t["partyShares"] is not (null or JsonObject)) throw Bad("$.threshold.partyShares", $"expected an object of party: share, got {Workbench.Json.JsonInput.Kind(t["partyShares"])}.");
            if (t["exempt"] is not (null or JsonArray)) throw Bad("$.threshold.exempt", $"expected an array of party names, got {Workbench.Json.JsonInput.Kind(t["exempt"])}.");
            if (t["partyShares"] is JsonObject ps)
                foreach (var kv in ps) partyShares[kv.Key] = ParseDouble(kv.Value, $"$.threshold.partyShares.{kv.Key}", 0, 1);
            else if (t["partyShares"] is not null) throw Bad("$.threshold.partyShares", "must be an object of party: share (0 to 1).");
            if (t["exempt"] is not null and not JsonArray) throw Bad("$.threshold.exempt", "must be an array of party names.");
            threshold = new Threshold
            {
                Share = t["share"] is { } sh ? ParseDouble(sh, "$.threshold.share", 0, 1) : null,
                Scope = t["scope"] is { } sc ? ParseEnum(sc, "$.threshold.scope", "district", "national") : "national",
                Base = t["base"] is { } ba ? ParseEnum(ba, "$.threshold.base", "valid", "valid-including-blank") : "valid",
                Quota = t["quota"] is { } q ? ParseDouble(q, "$.threshold.quota", 0, 1000) : null,
                Exempt = t["exempt"] is JsonArray ex ? ex.Select((x, i) => x?.GetValueKind() == JsonValueKind.String ? x.GetValue<string>() : throw Bad($"$.threshold.exempt[{i}]", "must be a party name.")).ToArray() : [],
                PartyShares = partyShares,
                ElectorateSeats = t["electorateSeats"] is { } es ? ParseInt(es, "$.threshold.electorateSeats", 1) : null,
            };
        }
        else if (o["threshold"] is not null) throw Bad("$.threshold", "must be an object.");
        return threshold;
    }

    /// <summary>
    /// Reads $.constituencySeats (seats won per party in constituencies, for MMP and parallel systems); parties that won
    /// constituencies but had no list votes join the party list with 0 votes everywhere.
    /// </summary>
    private static int[]? ParseConstituencySeats(JsonObject o, List<string> parties, Dictionary<string, int> index, ref List<District> districts)
    {
        int[]? cs = null;
        if (o["constituencySeats"] is not (null or JsonObject)) throw Bad("$.constituencySeats", $"expected an object of party: seats, got {Workbench.Json.JsonInput.Kind(o["constituencySeats"])}.");
        if (o["constituencySeats"] is JsonObject cso)
        {
            // Parties that won constituencies but had no list votes join the party list with 0 votes everywhere.
            int before = parties.Count;
            foreach (var kv in cso)
                if (index.TryAdd(kv.Key, parties.Count))
                {
                    if (parties.Count == ElectionLimits.MaxParties) throw Bad("$.constituencySeats", $"more than {ElectionLimits.MaxParties:N0} parties (the limit).");
                    parties.Add(kv.Key);
                }
            if (parties.Count > before)
            {
                if ((long)parties.Count * districts.Count > ElectionLimits.MaxCells)
                    throw Bad("$.constituencySeats", $"{parties.Count:N0} parties × {districts.Count:N0} districts exceed the limit of {ElectionLimits.MaxCells:N0} vote counts.");
                districts = districts.Select(d => d with { Votes = [.. d.Votes, .. new long[parties.Count - before]] }).ToList();
            }
            cs = new int[parties.Count];
            long csSum = 0;
            foreach (var kv in cso) csSum += cs[index[kv.Key]] = ParseInt(kv.Value, $"$.constituencySeats.{kv.Key}");
            if (csSum > ElectionLimits.MaxSeats) throw Bad("$.constituencySeats", $"{csSum:N0} constituency seats in all; at most {ElectionLimits.MaxSeats:N0} are allowed.");
        }
        else if (o["constituencySeats"] is not null) throw Bad("$.constituencySeats", "must be an object of party: seats.");
        return cs;
    }

    /// <summary>The allocate output: seats, districts, ties, tieBreak, indices (efficiencyGap only with two parties).</summary>
    public static JsonObject ToJson(ElectionResult r, ElectionInput input)
    {
        var seats = new JsonObject();
        for (int j = 0; j < r.Parties.Count; j++) seats[r.Parties[j]] = r.Seats[j];
        var districts = new JsonArray();
        foreach (var (name, s) in r.Districts)
        {
            var ds = new JsonObject();
            for (int j = 0; j < r.Parties.Count; j++) ds[r.Parties[j]] = s[j];
            districts.Add(new JsonObject { ["name"] = name, ["seats"] = ds });
        }
        var ties = new JsonArray();
        foreach (var t in r.Ties)
            ties.Add(new JsonObject
            {
                ["district"] = t.District, ["parties"] = new JsonArray(t.Parties.Select(p => (JsonNode)p!).ToArray()), ["seats"] = t.Seats,
                ["quotient"] = t.Quotient, ["winners"] = new JsonArray(t.Winners.Select(p => (JsonNode)p!).ToArray()), ["resolution"] = t.Resolution,
            });
        var indices = IndicesJson(r.Votes, r.Seats.Select(s => (long)s).ToArray(),
            r.Parties.Count == 2 && input.System == "list" ? input.Districts.Select(d => (d.Votes[0], d.Votes[1])).ToArray() : null);
        var result = new JsonObject
        {
            ["seats"] = seats, ["districts"] = districts, ["ties"] = ties,
            ["tieBreak"] = r.TieBreak switch { TieBreak.Lot => "lot", TieBreak.Error => "error", _ => "more-votes" },
            ["indices"] = indices,
        };
        if (r.BelowThreshold.Count > 0) result["belowThreshold"] = new JsonArray(r.BelowThreshold.Select(p => (JsonNode)p!).ToArray());
        if (r.Overhang is not null)
        {
            var oh = new JsonObject();
            for (int j = 0; j < r.Parties.Count; j++) oh[r.Parties[j]] = r.Overhang[j];
            result["overhang"] = oh;
            result["totalSeats"] = r.TotalSeats;
        }
        return result;
    }

    /// <summary>The indices object: gallagher (0–100), loosemoreHanby, enpVotes, enpSeats, efficiencyGap (two parties only).</summary>
    public static JsonObject IndicesJson(IReadOnlyList<long> votes, IReadOnlyList<long> seats, IReadOnlyList<(long, long)>? twoPartyDistricts)
    {
        var v = votes.Select(x => (double)x).ToArray(); var s = seats.Select(x => (double)x).ToArray();
        var o = new JsonObject
        {
            ["gallagher"] = Math.Round(Indices.Gallagher(v, s), 6),
            ["loosemoreHanby"] = Math.Round(Indices.LoosemoreHanby(v, s), 6),
            ["enpVotes"] = Math.Round(Indices.EffectiveNumberOfParties(v), 6),
            ["enpSeats"] = Math.Round(Indices.EffectiveNumberOfParties(s), 6),
        };
        if (twoPartyDistricts is not null) o["efficiencyGap"] = Math.Round(Indices.EfficiencyGap(twoPartyDistricts), 6);
        return o;
    }

    /// <summary>Runs the indices command input: <c>{ "votes": {...}, "seats": {...} }</c> (optionally "districts" of two-party votes for the efficiency gap).</summary>
    public static JsonObject ComputeIndices(string json)
    {
        var o = Workbench.Json.JsonInput.ParseObject(json, "an indices input");
        KnownKeys(o, "$", "votes", "seats", "districts");
        if (o["votes"] is not JsonObject vo) throw Bad("$.votes", "is required: an object of party: votes.");
        if (o["seats"] is not JsonObject so) throw Bad("$.seats", "is required: an object of party: seats.");
        if (vo.Count > ElectionLimits.MaxParties) throw Bad("$.votes", $"{vo.Count:N0} parties; at most {ElectionLimits.MaxParties:N0} are allowed.");
        if (so.Count > ElectionLimits.MaxParties) throw Bad("$.seats", $"{so.Count:N0} parties; at most {ElectionLimits.MaxParties:N0} are allowed.");
        var parties = vo.Select(kv => kv.Key).Union(so.Select(kv => kv.Key), StringComparer.Ordinal).ToList();
        if (parties.Count > ElectionLimits.MaxParties) throw Bad("$.seats", $"{parties.Count:N0} parties in votes and seats together; at most {ElectionLimits.MaxParties:N0} are allowed.");
        long seatTotal = 0;
        foreach (var kv in so) seatTotal += ParseInt(kv.Value, $"$.seats.{kv.Key}");
        if (seatTotal > ElectionLimits.MaxSeats) throw Bad("$.seats", $"{seatTotal:N0} seats in all; at most {ElectionLimits.MaxSeats:N0} are allowed.");
        var votes = parties.Select(p => vo[p] is { } n ? ParseVotes(n, $"$.votes.{p}") : 0).ToArray();
        var seats = parties.Select(p => so[p] is { } n ? (long)ParseInt(n, $"$.seats.{p}") : 0).ToArray();
        if (o["districts"] is not (null or JsonArray)) throw Bad("$.districts", $"expected an array of two-party votes, got {Workbench.Json.JsonInput.Kind(o["districts"])}.");
        List<(long, long)>? districts = null;
        if (parties.Count == 2)
        {
            districts = [];
            if (o["districts"] is JsonArray da)
            {
                if (da.Count == 0) throw Bad("$.districts", "must not be empty (leave it out to use the national votes as one district).");
                if (da.Count > ElectionLimits.MaxDistricts) throw Bad("$.districts", $"{da.Count:N0} districts; at most {ElectionLimits.MaxDistricts:N0} are allowed.");
                for (int k = 0; k < da.Count; k++)
                {
                    if (da[k] is not JsonObject d) throw Bad($"$.districts[{k}]", "must be an object of party: votes.");
                    KnownKeys(d, $"$.districts[{k}]", parties[0], parties[1]);
                    districts.Add((d[parties[0]] is { } a ? ParseVotes(a, $"$.districts[{k}].{parties[0]}") : 0, d[parties[1]] is { } b ? ParseVotes(b, $"$.districts[{k}].{parties[1]}") : 0));
                }
            }
            else if (o["districts"] is not null) throw Bad("$.districts", "must be an array of { party: votes } objects.");
            else districts.Add((votes[0], votes[1]));
        }
        return IndicesJson(votes, seats, districts);
    }
}
