using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Workbench.Json;

namespace Workbench.Elections;

/// <summary>
/// The source-generated System.Text.Json contracts of the inputs of <c>workbench allocate</c>
/// (<see cref="AllocateInputContract"/>) and <c>workbench indices</c> (<see cref="IndicesInputContract"/>), read by
/// <see cref="ElectionJson.Parse"/> and <see cref="ElectionJson.ComputeIndices"/>, and of the shipped official results
/// (<see cref="OfficialElectionContract"/>, read by <see cref="OfficialElection.Parse"/>). The contracts fix the fields of each
/// object (an unknown one is refused with its path, naming the known ones), their kinds, and that none is null; each
/// scalar field is read by its own converter (<c>SeatsField</c>, <c>VotesField</c>, …) with its range and the messages
/// docs/elections.md documents. The party maps (<c>votes</c>, <c>secondRound</c>, <c>constituencySeats</c>,
/// <c>partyShares</c>, the indices input's <c>seats</c> and two-party districts) are keyed by party name, so they stay
/// <see cref="JsonNode"/> members that <see cref="ElectionJson"/> checks entry by entry. <see cref="Contract"/> is built with
/// <see cref="JsonInput.CreateOptions"/>, the options every input contract shares (docs/file-formats.md, "Contracts").
/// </summary>
[JsonSerializable(typeof(AllocateInputContract))]
[JsonSerializable(typeof(IndicesInputContract))]
[JsonSerializable(typeof(OfficialElectionContract))]
internal sealed partial class ElectionsJson : JsonSerializerContext, IInputContract
{
    /// <summary>The contracts, with the shared input options.</summary>
    public static ElectionsJson Contract { get; } = new(JsonInput.CreateOptions());

    /// <inheritdoc/>
    public object? NewDefault(Type type) =>
        type == typeof(AllocateInputContract) ? new AllocateInputContract()
        : type == typeof(ThresholdContract) ? new ThresholdContract()
        : type == typeof(DistrictContract) ? new DistrictContract()
        : type == typeof(ApportionmentContract) ? new ApportionmentContract()
        : type == typeof(IndicesInputContract) ? new IndicesInputContract()
        : type == typeof(OfficialElectionContract) ? new OfficialElectionContract()
        : type == typeof(OfficialSourceContract) ? new OfficialSourceContract()
        : null;

    /// <inheritdoc/>
    public string? UnknownFieldMessage(Type record, IReadOnlyList<string> fields) => $"unknown field; expected one of {string.Join(", ", fields)}.";

    /// <inheritdoc/>
    public string? KindMessage(Type expected, JsonNode? actual) =>
        expected == typeof(ThresholdContract) || expected == typeof(ApportionmentContract) || expected == typeof(DistrictContract) || expected == typeof(OfficialSourceContract) ? "must be an object."
        : expected == typeof(IReadOnlyList<DistrictContract>) ? "must be an array."
        : null;
}

/// <summary>
/// The allocate input as its contract reads it (docs/elections.md); <see cref="ElectionJson.Parse"/> checks what involves
/// more than one field and builds the <see cref="ElectionInput"/>. An absent field is null; a JSON null is refused.
/// </summary>
internal sealed record AllocateInputContract
{
    /// <summary>The allocation method (required; checked by <see cref="ElectionJson.Parse"/>).</summary>
    [JsonConverter(typeof(MethodField))] public Method? Method { get; init; }
    /// <summary>Modified Sainte-Laguë's first divisor.</summary>
    [JsonConverter(typeof(FirstDivisorField))] public double? FirstDivisor { get; init; }
    /// <summary>Total seats.</summary>
    [JsonConverter(typeof(SeatsField))] public int? Seats { get; init; }
    /// <summary>The legal threshold.</summary>
    [DisallowNull] public ThresholdContract? Threshold { get; init; }
    /// <summary>Blank votes of the one national district.</summary>
    [JsonConverter(typeof(VotesField))] public long? Blank { get; init; }
    /// <summary>Party: votes of the one national district (kept as a node: keyed by party name).</summary>
    [DisallowNull] public JsonNode? Votes { get; init; }
    /// <summary>The districts (instead of <see cref="Votes"/>).</summary>
    [DisallowNull] public IReadOnlyList<DistrictContract>? Districts { get; init; }
    /// <summary>How districts without seats get theirs.</summary>
    [DisallowNull] public ApportionmentContract? Apportionment { get; init; }
    /// <summary>How exact ties are resolved.</summary>
    [JsonConverter(typeof(TieBreakField))] public TieBreak? TieBreak { get; init; }
    /// <summary>Seed of the lot.</summary>
    [JsonConverter(typeof(SeedField))] public int? Seed { get; init; }
    /// <summary>list, mmp, parallel or two-round.</summary>
    [JsonConverter(typeof(SystemField))] public string? System { get; init; }
    /// <summary>Party: constituency seats won (kept as a node: keyed by party name).</summary>
    [DisallowNull] public JsonNode? ConstituencySeats { get; init; }
    /// <summary>keep, level or cap.</summary>
    [JsonConverter(typeof(OverhangField))] public string? Overhang { get; init; }
}

/// <summary>The <c>threshold</c> block of the allocate input.</summary>
internal sealed record ThresholdContract
{
    /// <summary>Minimum share, 0 to 1.</summary>
    [JsonConverter(typeof(ShareField))] public double? Share { get; init; }
    /// <summary>district or national.</summary>
    [JsonConverter(typeof(ScopeField))] public string? Scope { get; init; }
    /// <summary>valid or valid-including-blank.</summary>
    [JsonConverter(typeof(BaseField))] public string? Base { get; init; }
    /// <summary>Hare quotas, 0 to 1000.</summary>
    [JsonConverter(typeof(QuotaField))] public double? Quota { get; init; }
    /// <summary>Exempt party names.</summary>
    [JsonConverter(typeof(ExemptField))] public IReadOnlyList<string>? Exempt { get; init; }
    /// <summary>Party: share (kept as a node: keyed by party name).</summary>
    [DisallowNull] public JsonNode? PartyShares { get; init; }
    /// <summary>Constituency seats that exempt a party.</summary>
    [JsonConverter(typeof(ElectorateSeatsField))] public int? ElectorateSeats { get; init; }
}

/// <summary>One element of the allocate input's <c>districts</c>.</summary>
internal sealed record DistrictContract
{
    /// <summary>The district's name (unique; "district k" when absent).</summary>
    [JsonConverter(typeof(NameField))] public string? Name { get; init; }
    /// <summary>Its seats.</summary>
    [JsonConverter(typeof(SeatsField))] public int? Seats { get; init; }
    /// <summary>Its method, overriding the input's.</summary>
    [JsonConverter(typeof(MethodField))] public Method? Method { get; init; }
    /// <summary>Party: votes (kept as a node: keyed by party name).</summary>
    [DisallowNull] public JsonNode? Votes { get; init; }
    /// <summary>Blank votes.</summary>
    [JsonConverter(typeof(VotesField))] public long? Blank { get; init; }
    /// <summary>Party: second-round votes (kept as a node: keyed by party name).</summary>
    [DisallowNull] public JsonNode? SecondRound { get; init; }
}

/// <summary>The <c>apportionment</c> block of the allocate input.</summary>
internal sealed record ApportionmentContract
{
    /// <summary>The method that apportions the seats among districts.</summary>
    [JsonConverter(typeof(MethodField))] public Method? Method { get; init; }
    /// <summary>valid-votes.</summary>
    [JsonConverter(typeof(ByField))] public string? By { get; init; }
}

/// <summary>
/// The indices input as its contract reads it: its three fields are keyed by party name (or lists of such maps), so they are
/// nodes that <see cref="ElectionJson.ComputeIndices"/> checks entry by entry.
/// </summary>
internal sealed record IndicesInputContract
{
    /// <summary>Party: votes.</summary>
    [DisallowNull] public JsonNode? Votes { get; init; }
    /// <summary>Party: seats.</summary>
    [DisallowNull] public JsonNode? Seats { get; init; }
    /// <summary>Two-party votes per district.</summary>
    [DisallowNull] public JsonNode? Districts { get; init; }
}

/// <summary>
/// Reads one scalar field of an election input through the checks of <see cref="ElectionJson"/> (the same messages);
/// a JSON null is refused ("must not be null.") and every refusal is a <see cref="JsonFieldException"/> at the field's path.
/// </summary>
internal abstract class FieldConverter<T> : JsonConverter<T>
{
    public override bool HandleNull => true;

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var node = JsonNode.Parse(ref reader) ?? throw new JsonFieldException("must not be null.");
        return Convert(node, message => new JsonFieldException(message));
    }

    /// <summary>The value of <paramref name="node"/>; <paramref name="fail"/> makes the exception to throw for a refused one.</summary>
    protected abstract T Convert(JsonNode node, Func<string, Exception> fail);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case Method m: writer.WriteStringValue(ElectionJson.Name(m)); break;
            case TieBreak t: writer.WriteStringValue(ElectionJson.TieBreakName(t)); break;
            case string s: writer.WriteStringValue(s); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case double d: writer.WriteNumberValue(d); break;
            case IEnumerable<string> list:
                writer.WriteStartArray();
                foreach (var s in list) writer.WriteStringValue(s);
                writer.WriteEndArray();
                break;
            default: throw new JsonException($"{typeof(T).Name} is not an election input field.");
        }
    }
}

internal sealed class MethodField : FieldConverter<Method?>
{
    protected override Method? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadMethod(node, fail);
}

internal sealed class VotesField : FieldConverter<long?>
{
    protected override long? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadVotes(node, fail);
}

internal sealed class SeatsField : FieldConverter<int?>
{
    protected override int? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadInt(node, fail);
}

internal sealed class SeedField : FieldConverter<int?>
{
    protected override int? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadInt(node, fail, 0, 1_000_000);
}

internal sealed class ElectorateSeatsField : FieldConverter<int?>
{
    protected override int? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadInt(node, fail, 1);
}

internal sealed class FirstDivisorField : FieldConverter<double?>
{
    protected override double? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadDouble(node, fail, 1e-6, ElectionLimits.MaxFirstDivisor);
}

internal sealed class ShareField : FieldConverter<double?>
{
    protected override double? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadDouble(node, fail, 0, 1);
}

internal sealed class QuotaField : FieldConverter<double?>
{
    protected override double? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadDouble(node, fail, 0, 1000);
}

internal sealed class TieBreakField : FieldConverter<TieBreak?>
{
    protected override TieBreak? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadEnum(node, fail, "more-votes", "lot", "error") switch
    {
        "lot" => TieBreak.Lot, "error" => TieBreak.Error, _ => TieBreak.MoreVotes,
    };
}

internal sealed class SystemField : FieldConverter<string?>
{
    protected override string? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadEnum(node, fail, "list", "mmp", "parallel", "two-round");
}

internal sealed class OverhangField : FieldConverter<string?>
{
    protected override string? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadEnum(node, fail, "keep", "level", "cap");
}

internal sealed class ScopeField : FieldConverter<string?>
{
    protected override string? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadEnum(node, fail, "district", "national");
}

internal sealed class BaseField : FieldConverter<string?>
{
    protected override string? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadEnum(node, fail, "valid", "valid-including-blank");
}

internal sealed class ByField : FieldConverter<string?>
{
    protected override string? Convert(JsonNode node, Func<string, Exception> fail) => ElectionJson.ReadEnum(node, fail, "valid-votes");
}

internal sealed class NameField : FieldConverter<string?>
{
    protected override string? Convert(JsonNode node, Func<string, Exception> fail) =>
        node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : throw fail("must be a string.");
}

/// <summary>The threshold's exempt parties: an array of names; a non-string element is refused at its index.</summary>
internal sealed class ExemptField : FieldConverter<IReadOnlyList<string>?>
{
    protected override IReadOnlyList<string>? Convert(JsonNode node, Func<string, Exception> fail)
    {
        if (node is not JsonArray a) throw fail($"expected an array of party names, got {JsonInput.Kind(node)}.");
        return a.Select((x, i) => x?.GetValueKind() == JsonValueKind.String ? x.GetValue<string>() : throw new JsonFieldException("must be a party name.", $"[{i}]")).ToArray();
    }
}

/// <summary>
/// An official-result file (Elections/Official/*.json) as its contract reads it (<see cref="OfficialElection.Parse"/>): the
/// strings and the published valid votes are fields of their own (null when absent, a JSON null refused), the party maps
/// (<c>parties</c>, <c>officialSeats</c>) are keyed by party code and the <c>input</c> is an allocate input, so those stay
/// nodes that the parser checks entry by entry and through <see cref="ElectionJson.Parse"/>.
/// </summary>
internal sealed record OfficialElectionContract
{
    /// <summary>The file's name without extension.</summary>
    [DisallowNull] public string? Id { get; init; }
    /// <summary>The election.</summary>
    [DisallowNull] public string? Title { get; init; }
    /// <summary>Election day (ISO 8601).</summary>
    [DisallowNull] public string? Date { get; init; }
    /// <summary>The electoral rule in words.</summary>
    [DisallowNull] public string? Rule { get; init; }
    /// <summary>Where the figures were published.</summary>
    [DisallowNull] public OfficialSourceContract? Source { get; init; }
    /// <summary>Party code: full name (kept as a node: keyed by party code).</summary>
    [DisallowNull] public JsonNode? Parties { get; init; }
    /// <summary>Party code: declared seats (kept as a node: keyed by party code).</summary>
    [DisallowNull] public JsonNode? OfficialSeats { get; init; }
    /// <summary>The valid votes the authority published.</summary>
    [JsonConverter(typeof(VotesField))] public long? OfficialValidVotes { get; init; }
    /// <summary>Notes on the transcription.</summary>
    [DisallowNull] public string? Notes { get; init; }
    /// <summary>The <c>workbench allocate</c> input that encodes the rule.</summary>
    [DisallowNull] public JsonNode? Input { get; init; }
}

/// <summary>The <c>source</c> of an official-result file.</summary>
internal sealed record OfficialSourceContract
{
    /// <summary>The electoral authority or statistics office.</summary>
    [DisallowNull] public string? Publisher { get; init; }
    /// <summary>The title of the publication.</summary>
    [DisallowNull] public string? Document { get; init; }
    /// <summary>Its address.</summary>
    [DisallowNull] public string? Url { get; init; }
}
