using System.Text.Json.Nodes;
using Workbench.Json;

namespace Workbench.Elections;

/// <summary>Where an official result was published.</summary>
/// <param name="Publisher">The electoral authority or statistics office that published the figures.</param>
/// <param name="Document">The title of the publication.</param>
/// <param name="Url">Its address.</param>
public sealed record OfficialSource(string Publisher, string Document, string Url);

/// <summary>One party of an official result: votes, the seats the authority declared, the seats Workbench recomputes.</summary>
public sealed record OfficialPartyRow(string Party, string Name, long Votes, int OfficialSeats, int RecomputedSeats)
{
    /// <summary>Whether the recomputed seats equal the declared ones.</summary>
    public bool Matches => OfficialSeats == RecomputedSeats;
}

/// <summary>An official result set against Workbench's allocation of the same votes under the same rule.</summary>
public sealed record OfficialComparison(OfficialElection Election, ElectionResult Result, IReadOnlyList<OfficialPartyRow> Rows)
{
    /// <summary>True when every party's recomputed seats equal the declared seats.</summary>
    public bool Matches => Rows.All(r => r.Matches);

    /// <summary>The comparison as JSON: id, title, method, source, matches, and one row per party.</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Election.Id,
        ["title"] = Election.Title,
        ["method"] = ElectionJson.Name(Election.Input.Method),
        ["seats"] = Rows.Sum(r => r.OfficialSeats),
        ["matches"] = Matches,
        ["source"] = new JsonObject { ["publisher"] = Election.Source.Publisher, ["document"] = Election.Source.Document, ["url"] = Election.Source.Url },
        ["rule"] = Election.Rule,
        ["parties"] = new JsonArray(Rows.Select(r => (JsonNode)new JsonObject
        {
            ["party"] = r.Party, ["name"] = r.Name, ["votes"] = r.Votes, ["officialSeats"] = r.OfficialSeats, ["recomputedSeats"] = r.RecomputedSeats,
        }).ToArray()),
    };
}

/// <summary>
/// Real elections with their official votes and declared seats, shipped with the library (embedded
/// JSON under Elections/Official, so they work offline and from any folder). Each file holds the
/// publisher, document and address of the official publication the numbers were read from, the
/// electoral rule in words, the declared seats and the input of <c>workbench allocate</c> that
/// encodes the rule. <see cref="Compare"/> recomputes the seats from the votes; the golden tests
/// (Elections.Golden) require every recomputation to equal the declared seats, party by party.
/// </summary>
/// <remarks>
/// Coverage (all national list tiers): Denmark 2007, 2011, 2015 and 2019 (Hare largest remainder
/// with a 2% national threshold), New Zealand 2017 (Sainte-Laguë with a 5% national threshold and
/// the electorate-seat exemption), the Netherlands 2017 (D'Hondt with a one-quota threshold), Sweden's 2019 European Parliament election (modified Sainte-Laguë,
/// first divisor 1.2, 4% threshold; the authority's preliminary count). Official district-level
/// results for D'Hondt with a district threshold, Droop and per-district apportionment were not available offline; those methods are covered by textbook cases instead.
/// </remarks>
public sealed record OfficialElection
{
    /// <summary>File name without extension, e.g. "denmark-2019".</summary>
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>Election day (ISO 8601).</summary>
    public required string Date { get; init; }
    /// <summary>The electoral rule, in words, as encoded in <see cref="Input"/>.</summary>
    public required string Rule { get; init; }
    public required OfficialSource Source { get; init; }
    /// <summary>Party code (as in the input) → full name.</summary>
    public required IReadOnlyDictionary<string, string> PartyNames { get; init; }
    /// <summary>Seats declared by the authority, in input party order.</summary>
    public required IReadOnlyList<int> OfficialSeats { get; init; }
    /// <summary>Total valid votes the authority published (a check on the transcription: the party votes must sum to it).</summary>
    public required long OfficialValidVotes { get; init; }
    public string Notes { get; init; } = "";
    /// <summary>The allocation problem (the <c>workbench allocate</c> contract).</summary>
    public required ElectionInput Input { get; init; }
    /// <summary>The <c>workbench allocate</c> input as JSON text (pipe it to <c>workbench allocate -</c>).</summary>
    public required string InputJson { get; init; }

    /// <summary>Identifiers of the shipped official results, in name order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. EmbeddedJson.Names("Official")];

    /// <summary>Every shipped official result.</summary>
    public static IReadOnlyList<OfficialElection> All() => Names.Select(Load).ToArray();

    /// <summary>One shipped official result by identifier (see <see cref="Names"/>).</summary>
    public static OfficialElection Load(string id)
    {
        if (!Names.Contains(id)) throw new ArgumentException($"Unknown official election '{id}'. Shipped: {string.Join(", ", Names)}.", nameof(id));
        return Parse(EmbeddedJson.Read("Official", id));
    }

    /// <summary>
    /// Parses an official-result file (the format of Elections/Official/*.json) through its contract
    /// (<see cref="OfficialElectionContract"/>) in the shared JSON layer; a damaged file is a <see cref="SpecValidationException"/>
    /// naming the JSON path (<c>$.source.url: is required (a string).</c>), its <c>input</c> checked as <c>workbench allocate</c>
    /// checks it, under <c>$.input</c>. The party votes must sum to the published valid votes.
    /// </summary>
    public static OfficialElection Parse(string json)
    {
        var root = JsonInput.ParseObject(json, "an official result");
        var errors = new List<ValidationError>();
        var c = JsonInput.Deserialize(root, "$", errors, ElectionsJson.Contract.OfficialElectionContract);
        Parameters.ThrowIfAny(errors);
        string Str(string? value, string path)
        {
            if (value is null) errors.Add(new(path, "is required (a string)."));
            return value ?? "";
        }
        string id = Str(c!.Id, "$.id"), title = Str(c.Title, "$.title"), date = Str(c.Date, "$.date"), rule = Str(c.Rule, "$.rule");
        if (c.Source is null) errors.Add(new("$.source", "is required (an object: publisher, document, url)."));
        var source = c.Source is null ? null : new OfficialSource(Str(c.Source.Publisher, "$.source.publisher"), Str(c.Source.Document, "$.source.document"), Str(c.Source.Url, "$.source.url"));
        if (c.Parties is not JsonObject names) { errors.Add(new("$.parties", $"expected an object of party: name, got {JsonInput.Kind(c.Parties)}.")); names = []; }
        if (c.OfficialSeats is not JsonObject seatsNode) { errors.Add(new("$.officialSeats", $"expected an object of party: declared seats, got {JsonInput.Kind(c.OfficialSeats)}.")); seatsNode = []; }
        if (c.OfficialValidVotes is null) errors.Add(new("$.officialValidVotes", "is required (a whole number of votes)."));
        if (c.Input is not JsonObject inputNode) { errors.Add(new("$.input", $"expected the allocate input (an object), got {JsonInput.Kind(c.Input)}.")); throw new SpecValidationException(errors); }
        // The input as written in the file (its text is what `workbench official --input` prints).
        var inputJson = root["input"]!.ToJsonString();
        ElectionInput input;
        try { input = ElectionJson.Parse(inputJson); }
        catch (SpecValidationException ex)
        {
            errors.AddRange(ex.Errors.Select(e => e with { Path = e.Path.StartsWith('$') ? "$.input" + e.Path[1..] : "$.input: " + e.Path }));
            throw new SpecValidationException(errors);
        }
        foreach (var (party, name) in names)
            if (name?.GetValueKind() != System.Text.Json.JsonValueKind.String) errors.Add(new(JsonInput.Member("$.parties", party), $"expected the party's name (a string), got {JsonInput.Kind(name)}."));
        var seats = new int[input.Parties.Count];
        if (c.OfficialSeats is JsonObject)
        {
            for (int j = 0; j < seats.Length; j++)
            {
                string at = JsonInput.Member("$.officialSeats", input.Parties[j]);
                var n = seatsNode[input.Parties[j]];
                if (n is null) errors.Add(new(at, "is missing: every party of the input needs its declared seats."));
                else if (n.GetValueKind() == System.Text.Json.JsonValueKind.Number && n.AsValue().TryGetValue<int>(out int s) && s >= 0 && s <= ElectionLimits.MaxSeats) seats[j] = s;
                else errors.Add(new(at, $"expected the declared seats (a whole number in [0, {ElectionLimits.MaxSeats}]), got {(n.GetValueKind() == System.Text.Json.JsonValueKind.Number ? n.ToJsonString() : JsonInput.Kind(n))}."));
            }
            foreach (var (party, _) in seatsNode)
                if (!input.Parties.Contains(party)) errors.Add(new(JsonInput.Member("$.officialSeats", party), "is not a party of the input."));
        }
        Parameters.ThrowIfAny(errors);
        var e = new OfficialElection
        {
            Id = id, Title = title, Date = date, Rule = rule, Source = source!,
            PartyNames = input.Parties.ToDictionary(p => p, p => names[p]?.GetValue<string>() ?? p),
            OfficialSeats = seats, OfficialValidVotes = c.OfficialValidVotes!.Value, Notes = c.Notes ?? "",
            Input = input, InputJson = inputJson,
        };
        long sum = input.Districts.Sum(d => d.Votes.Sum());
        if (sum != e.OfficialValidVotes)
            throw new SpecValidationException([new("$.officialValidVotes", $"the party votes sum to {sum:N0} but the published valid votes are {e.OfficialValidVotes:N0}; the transcription is wrong.")]);
        return e;
    }

    /// <summary>Recomputes the seats from the official votes under the encoded rule and sets them against the declared seats.</summary>
    public OfficialComparison Compare()
    {
        var result = ElectionEngine.Run(Input);
        var rows = Input.Parties.Select((p, j) => new OfficialPartyRow(p, PartyNames[p], result.Votes[j], OfficialSeats[j], result.Seats[j])).ToArray();
        return new OfficialComparison(this, result, rows);
    }

    /// <summary>Recomputes every shipped official result.</summary>
    public static IReadOnlyList<OfficialComparison> CompareAll() => All().Select(e => e.Compare()).ToArray();
}
