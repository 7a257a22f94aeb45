using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Workbench.Json;

/// <summary>
/// The one JSON layer every input file goes through (scenarios, sweeps, electorate specs and presets, data regimes,
/// allocate and indices inputs, workshop cards, run manifests; docs/file-formats.md). It parses with one set of options
/// (comments and trailing commas allowed, duplicate keys and nesting deeper than <see cref="MaxDepth"/> refused, numbers
/// strict), and reports every problem as a <see cref="ValidationError"/> with the JSON path of the offending value —
/// <c>$.arms[1].name: expected a string, got a number.</c> — never as a crash. It never echoes the text of a file that is
/// not JSON. Depends on nothing in Workbench but the validation error types.
/// </summary>
public static class JsonInput
{
    /// <summary>Deepest nesting accepted in any input file.</summary>
    public const int MaxDepth = 64;

    /// <summary>The key a file may use to name its JSON Schema (accepted and ignored at the top level of every format).</summary>
    public const string SchemaKey = "$schema";

    /// <summary>Options for parsing a document into nodes: comments and trailing commas allowed, duplicate keys and deep nesting refused.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth, AllowDuplicateProperties = false,
    };

    /// <summary>
    /// A new, writable copy of the options every spec record is read and written with: camelCase names, kebab-case enum
    /// names only (<see cref="StrictEnumConverterFactory"/>), unknown fields refused, duplicate keys refused, null only where
    /// a property is nullable, numbers only as JSON numbers, comments and trailing commas allowed, nesting at most
    /// <see cref="MaxDepth"/>, indented output with non-ASCII letters and apostrophes as they are. It has no type-info
    /// resolver: each module's source-generated context (<c>ElectorateJson</c>, <c>ElectionsJson</c>, <c>DataJson</c>, <c>ExperimentsJson</c>) is
    /// constructed with one copy and becomes its resolver, so the options live here once and no contract is built by
    /// reflection (docs/file-formats.md, "Contracts").
    /// </summary>
    public static JsonSerializerOptions CreateOptions() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowDuplicateProperties = false,
        MaxDepth = MaxDepth,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        Converters = { new StrictEnumConverterFactory() },
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// True when <paramref name="info"/> comes from a source-generated context that is an <see cref="IInputContract"/>, built
    /// with <see cref="CreateOptions"/> and resolving nothing else: the only contracts <see cref="Deserialize{T}"/> accepts.
    /// </summary>
    public static bool IsSourceGenerated(JsonTypeInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var o = info.Options;
        return info.OriginatingResolver is JsonSerializerContext and IInputContract context && ReferenceEquals(o.TypeInfoResolver, context)
            && o.PropertyNamingPolicy == JsonNamingPolicy.CamelCase && o.ReadCommentHandling == JsonCommentHandling.Skip && o.AllowTrailingCommas
            && !o.AllowDuplicateProperties && o.MaxDepth == MaxDepth && o.NumberHandling == JsonNumberHandling.Strict
            && o.UnmappedMemberHandling == JsonUnmappedMemberHandling.Disallow && o.RespectNullableAnnotations
            && o.Converters.Count == 1 && o.Converters[0] is StrictEnumConverterFactory && o.WriteIndented
            && ReferenceEquals(o.Encoder, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
    }

    /// <summary>
    /// Parses JSON text into a node. Syntax errors, duplicate keys and deep nesting become one error at "$" naming the
    /// line and position (and the key, for a duplicate) without quoting the text; then <see cref="Check"/> runs on the result.
    /// </summary>
    /// <param name="json">The text.</param>
    /// <param name="what">What the text should be ("a scenario", "a data regime"), for the message.</param>
    public static JsonNode Parse(string json, string what)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try { root = JsonNode.Parse(json, documentOptions: DocumentOptions); }
        catch (JsonException ex)
        {
            string at = ex.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) ? DuplicatePath(json) ?? "$" : ex.Path is { Length: > 1 } p ? p : "$";
            throw new SpecValidationException([new ValidationError(at, SyntaxMessage(ex, what))]);
        }
        if (root is null) throw new SpecValidationException([new ValidationError("$", $"expected {what} (a JSON object), got null.")]);
        var errors = new List<ValidationError>();
        Check(root, "$", errors);
        Parameters.ThrowIfAny(errors);
        return root;
    }

    /// <summary>
    /// Parses JSON text that must be an object (every input format is one) and removes its top-level
    /// <c>"$schema"</c> (which must be a string), so the rest of the object is what the format describes.
    /// </summary>
    public static JsonObject ParseObject(string json, string what)
    {
        var root = Parse(json, what);
        if (root is not JsonObject o) throw new SpecValidationException([new ValidationError("$", $"expected {what} (a JSON object), got {Kind(root)}.")]);
        StripSchema(o);
        return o;
    }

    /// <summary>Removes a top-level <c>"$schema"</c> from an object already parsed; a non-string value is a validation error.</summary>
    public static void StripSchema(JsonObject o)
    {
        if (!o.TryGetPropertyValue(SchemaKey, out var s)) return;
        if (s?.GetValueKind() != JsonValueKind.String) throw new SpecValidationException([new ValidationError("$." + SchemaKey, $"expected a string (the path of the file's JSON Schema), got {Kind(s)}.")]);
        o.Remove(SchemaKey);
    }

    /// <summary>Reads a file that must hold a JSON object (see <see cref="ParseObject"/>); a missing file is a <see cref="FileNotFoundException"/>.</summary>
    public static JsonObject ReadObjectFile(string path, string what)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{Capitalise(what)} file '{path}' does not exist.", path);
        return ParseObject(File.ReadAllText(path), what);
    }

    private static string Capitalise(string s)
    {
        s = s.StartsWith("a ", StringComparison.Ordinal) ? s[2..] : s.StartsWith("an ", StringComparison.Ordinal) ? s[3..] : s;
        return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
    }

    /// <summary>The path of the object holding the first duplicated key of <paramref name="json"/>, or null.</summary>
    private static string? DuplicatePath(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth });
        var frames = new Stack<(string Path, HashSet<string>? Keys, int Index)>();
        string? pending = null;
        try
        {
            while (reader.Read())
            {
                string Here()
                {
                    if (frames.Count == 0) return "$";
                    var (path, keys, index) = frames.Pop();
                    string here = keys is null ? $"{path}[{index}]" : Member(path, pending!);
                    frames.Push((path, keys, keys is null ? index + 1 : index));
                    return here;
                }
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: frames.Push((Here(), new HashSet<string>(StringComparer.Ordinal), 0)); break;
                    case JsonTokenType.StartArray: frames.Push((Here(), null, 0)); break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray: frames.Pop(); break;
                    case JsonTokenType.PropertyName:
                        pending = reader.GetString()!;
                        if (!frames.Peek().Keys!.Add(pending)) return frames.Peek().Path;
                        break;
                    default: Here(); break;
                }
            }
        }
        catch (JsonException) { }
        return null;
    }

    private static string SyntaxMessage(JsonException ex, string what)
    {
        string at = ex.LineNumber is long l ? $" at line {l + 1}, position {(ex.BytePositionInLine ?? 0) + 1}" : "";
        string m = ex.Message;
        if (m.Contains("Duplicate", StringComparison.OrdinalIgnoreCase) && Regex.Match(m, "'([^']*)'") is { Success: true } dm)
            return $"the key '{dm.Groups[1].Value}' appears twice in one object{at}; each key may appear once.";
        if (m.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)) return $"a key appears twice in one object{at}; each key may appear once.";
        // "The maximum configured depth of 64 has been exceeded" — not "Expected depth to be zero at the end of the JSON
        // payload", which is a document that ends before its objects and arrays are closed.
        if (m.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase)) return $"nested deeper than {MaxDepth} levels{at}.";
        if (m.Contains("depth to be zero", StringComparison.OrdinalIgnoreCase)) return $"not valid JSON{at}: the document ends before every object and array is closed.";
        // The reader's own message quotes the offending character; a file that is not JSON must not be echoed.
        return $"not valid JSON{at}: expected {what}.";
    }

    /// <summary>
    /// Checks what every format requires of every value: numbers that fit a double and are not negative zero, and
    /// no null inside an array. Adds one error per offending value with its path.
    /// </summary>
    public static void Check(JsonNode node, string path, List<ValidationError> errors)
    {
        var stack = new Stack<(JsonNode Node, string Path)>();
        stack.Push((node, path));
        while (stack.Count > 0)
        {
            var (n, p) = stack.Pop();
            switch (n)
            {
                case JsonObject o:
                    var items = o.ToList();
                    for (int i = items.Count - 1; i >= 0; i--) if (items[i].Value is { } v) stack.Push((v, Member(p, items[i].Key)));
                    break;
                case JsonArray a:
                    for (int i = a.Count - 1; i >= 0; i--)
                        if (a[i] is { } v) stack.Push((v, $"{p}[{i}]"));
                        else errors.Add(new($"{p}[{i}]", "must not be null."));
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                    string raw = v.ToJsonString();
                    if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
                        errors.Add(new(p, $"{Clip(raw)} is outside the range of a number (about ±1.8e308)."));
                    else if (d == 0 && raw.StartsWith('-')) errors.Add(new(p, $"{Clip(raw)} is negative zero; write 0."));
                    break;
            }
        }
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..37] + "...";

    /// <summary>The path of member <paramref name="key"/> of the object at <paramref name="path"/> (<c>$.a.b</c>, or <c>$['a b']</c> for other keys).</summary>
    public static string Member(string path, string key) =>
        Regex.IsMatch(key, "^[A-Za-z_$][A-Za-z0-9_$-]*$") ? $"{path}.{key}" : $"{path}['{key.Replace("'", "\\'", StringComparison.Ordinal)}']";

    /// <summary>The kind of a value in words: "a string", "a number", "a boolean", "an array", "an object" or "null".</summary>
    public static string Kind(JsonNode? node) => node?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "an unknown value",
    };

    /// <summary>Adds an "unknown field" error for every key of <paramref name="o"/> not in <paramref name="known"/>.</summary>
    public static void KnownFields(JsonObject o, string path, IReadOnlyCollection<string> known, List<ValidationError> errors)
    {
        foreach (var (key, _) in o)
            if (!known.Contains(key)) errors.Add(new(Member(path, key), $"unknown field; known fields: {string.Join(", ", known)}."));
    }

    /// <summary>
    /// Adds the error <see cref="KnownFields"/> gives for each key of <paramref name="unknown"/>: the fields a contract
    /// record collected with <c>[JsonExtensionData]</c> instead of refusing them (see <see cref="Loose{T}"/>).
    /// </summary>
    internal static void UnknownFields(IDictionary<string, JsonElement>? unknown, string path, IReadOnlyCollection<string> known, List<ValidationError> errors)
    {
        foreach (var key in unknown?.Keys ?? Enumerable.Empty<string>()) errors.Add(new(Member(path, key), $"unknown field; known fields: {string.Join(", ", known)}."));
    }

    /// <summary>
    /// A loose string field at <paramref name="path"/> (null when absent, an error then when <paramref name="required"/>); null
    /// or a value of another kind is an error, worded as the <c>JsonObject</c> overload words it.
    /// </summary>
    internal static string? String(Loose<string> value, string path, List<ValidationError> errors, bool required = false)
    {
        if (value.Ok) return value.Value;
        if (value.Given) errors.Add(new(path, $"expected a string, got {Kind(value.Raw)}."));
        else if (required) errors.Add(new(path, "is required (a string)."));
        return null;
    }

    /// <summary>
    /// A loose whole-number field at <paramref name="path"/> in [<paramref name="min"/>, <paramref name="max"/>] (null when
    /// absent, an error then when <paramref name="required"/>); anything else given is an error: <paramref name="message"/>
    /// when there is one, else worded as the <c>JsonObject</c> overload words it.
    /// </summary>
    internal static int? Int(Loose<int> value, string path, List<ValidationError> errors, string? message, int min = int.MinValue, int max = int.MaxValue, bool required = false)
    {
        if (value.Ok && value.Value >= min && value.Value <= max) return value.Value;
        if (!value.Given && !required) return null;
        errors.Add(new(path, message ?? (
            !value.Given ? $"is required (a whole number in [{min}, {max}])."
            : value.Raw?.GetValueKind() == JsonValueKind.Number ? $"{Clip(value.Raw.ToJsonString())} is outside the valid range [{min}, {max}] (a whole number)."
            : $"expected a whole number in [{min}, {max}], got {Kind(value.Raw)}.")));
        return null;
    }

    /// <summary>
    /// A loose boolean field at <paramref name="path"/> (null when absent); null or a value of another kind is an error, worded
    /// as the <c>JsonObject</c> overload words it.
    /// </summary>
    internal static bool? Bool(Loose<bool> value, string path, List<ValidationError> errors)
    {
        if (value.Ok) return value.Value;
        if (value.Given) errors.Add(new(path, $"expected true or false, got {Kind(value.Raw)}."));
        return null;
    }

    /// <summary>A string member (null when absent); a value of another kind is an error.</summary>
    public static string? String(JsonObject o, string key, string path, List<ValidationError> errors, bool required = false)
    {
        var n = o[key];
        if (n is null) { if (required || o.ContainsKey(key)) errors.Add(new(Member(path, key), required && !o.ContainsKey(key) ? "is required (a string)." : "expected a string, got null.")); return null; }
        if (n.GetValueKind() == JsonValueKind.String) return n.GetValue<string>();
        errors.Add(new(Member(path, key), $"expected a string, got {Kind(n)}."));
        return null;
    }

    /// <summary>A whole-number member in [<paramref name="min"/>, <paramref name="max"/>] (null when absent); anything else is an error.</summary>
    public static int? Int(JsonObject o, string key, string path, List<ValidationError> errors, int min = int.MinValue, int max = int.MaxValue, bool required = false, string? message = null)
    {
        var n = o[key];
        string at = Member(path, key);
        if (n is null) { if (required || o.ContainsKey(key)) errors.Add(new(at, message ?? (o.ContainsKey(key) ? $"expected a whole number in [{min}, {max}], got null." : $"is required (a whole number in [{min}, {max}])."))); return null; }
        if (n.GetValueKind() == JsonValueKind.Number && n.AsValue().TryGetValue<int>(out var i) && i >= min && i <= max) return i;
        errors.Add(new(at, message ?? (n.GetValueKind() == JsonValueKind.Number ? $"{Clip(n.ToJsonString())} is outside the valid range [{min}, {max}] (a whole number)." : $"expected a whole number in [{min}, {max}], got {Kind(n)}.")));
        return null;
    }

    /// <summary>A boolean member (null when absent); anything else is an error.</summary>
    public static bool? Bool(JsonObject o, string key, string path, List<ValidationError> errors)
    {
        var n = o[key];
        if (n is null) { if (o.ContainsKey(key)) errors.Add(new(Member(path, key), "expected true or false, got null.")); return null; }
        if (n.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return n.GetValue<bool>();
        errors.Add(new(Member(path, key), $"expected true or false, got {Kind(n)}."));
        return null;
    }

    /// <summary>
    /// Reads <paramref name="node"/> as <typeparamref name="T"/> through its source-generated contract
    /// <paramref name="info"/> (e.g. <c>ExperimentsJson.Contract.NetworkSpec</c>); a problem becomes an error at
    /// <paramref name="path"/> plus the path inside the node, in words (<c>expected a string, got a number</c>).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="info"/> is not from a source-generated context (a contract built by
    /// reflection is refused, so every input file is read by the generated code; see <see cref="IsSourceGenerated"/>).</exception>
    public static T? Deserialize<T>(JsonNode? node, string path, List<ValidationError> errors, JsonTypeInfo<T> info) where T : class
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!IsSourceGenerated(info))
            throw new ArgumentException($"The contract of {typeof(T).Name} is not from a source-generated JsonSerializerContext built with JsonInput.CreateOptions(); input files are read only through generated contracts.", nameof(info));
        if (node is null) return null;
        // The node with the defaults filled in is written straight to UTF-8 and read from there: no copy of the tree is built
        // (an allocate input may hold a million parties).
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = info.Options.Encoder, MaxDepth = MaxDepth + 1, SkipValidation = true }))
            WriteWithDefaults(writer, node, info, (IInputContract)info.OriginatingResolver!);
        try
        {
            var value = JsonSerializer.Deserialize(buffer.WrittenSpan, info);
            if (value is null) errors.Add(new(path, $"expected {Expected(typeof(T))}, got null."));
            return value;
        }
        catch (JsonException ex)
        {
            errors.Add(Describe(ex, node, path, info));
            return null;
        }
    }

    /// <summary>
    /// Writes <paramref name="node"/> in which every object read as a record also holds, after its own fields, each
    /// absent <c>init</c> property with the value of the record's default instance (<see cref="IInputContract.NewDefault"/>);
    /// absent nested records take their parent's default, present ones are filled from their own type's default, as the
    /// reflection reader did. The fields the file gives come first and unchanged, so every error, its path and its order are
    /// those of the file. A default that is null is left out (the generated code then passes null, which is that default).
    /// </summary>
    private static void WriteWithDefaults(Utf8JsonWriter w, JsonNode node, JsonTypeInfo info, IInputContract defaults)
    {
        if (Nullable.GetUnderlyingType(info.Type) is { } underlying) info = info.Options.GetTypeInfo(underlying);
        switch (node)
        {
            case JsonObject o when info.Kind == JsonTypeInfoKind.Object:
            {
                w.WriteStartObject();
                foreach (var (key, value) in o)
                {
                    w.WritePropertyName(key);
                    var p = value is null ? null : info.Properties.FirstOrDefault(x => x.Name == key);
                    if (value is null) w.WriteNullValue();
                    else if (p is null) value.WriteTo(w);
                    else WriteWithDefaults(w, value, info.Options.GetTypeInfo(p.PropertyType), defaults);
                }
                var absent = info.Properties.Where(p => p.AssociatedParameter is { IsMemberInitializer: true } && !o.ContainsKey(p.Name)).ToList();
                if (absent.Count > 0)
                {
                    var instance = defaults.NewDefault(info.Type)
                        ?? throw new InvalidOperationException($"{defaults.GetType().Name}.NewDefault does not make a {info.Type.Name}, which has init properties; add it so absent fields keep their defaults.");
                    foreach (var p in absent)
                        if (p.Get?.Invoke(instance) is { } v
                            && JsonSerializer.SerializeToElement(v, info.Options.GetTypeInfo(p.PropertyType)) is { ValueKind: not JsonValueKind.Null } element)
                        {
                            // A default written as null (a Loose<T> left out) is left out too: null and absent differ for it.
                            w.WritePropertyName(p.Name);
                            element.WriteTo(w);
                        }
                }
                w.WriteEndObject();
                return;
            }
            case JsonArray a when info.Kind == JsonTypeInfoKind.Enumerable && info.ElementType is { } element:
            {
                var elementInfo = info.Options.GetTypeInfo(element);
                w.WriteStartArray();
                foreach (var x in a)
                    if (x is null) w.WriteNullValue(); else WriteWithDefaults(w, x, elementInfo, defaults);
                w.WriteEndArray();
                return;
            }
            case JsonObject d when info.Kind == JsonTypeInfoKind.Dictionary && info.ElementType is { } valueType:
            {
                var valueInfo = info.Options.GetTypeInfo(valueType);
                w.WriteStartObject();
                foreach (var (key, value) in d)
                {
                    w.WritePropertyName(key);
                    if (value is null) w.WriteNullValue(); else WriteWithDefaults(w, value, valueInfo, defaults);
                }
                w.WriteEndObject();
                return;
            }
            default:
                node.WriteTo(w);
                return;
        }
    }

    /// <summary>Parses text as <typeparamref name="T"/>: <see cref="ParseObject"/> then <see cref="Deserialize{T}"/>; every problem in one exception.</summary>
    public static T DeserializeText<T>(string json, string what, JsonTypeInfo<T> info) where T : class
    {
        var root = ParseObject(json, what);
        var errors = new List<ValidationError>();
        var value = Deserialize(root, "$", errors, info);
        Parameters.ThrowIfAny(errors);
        return value!;
    }

    private static ValidationError Describe(JsonException ex, JsonNode root, string basePath, JsonTypeInfo info)
    {
        var top = info.Type;
        var contract = (IInputContract)info.OriginatingResolver!;
        string rel = ex.Path is { Length: > 0 } p ? p : "$";
        string m = ex.Message;
        var unmapped = Regex.Match(m, "The JSON property '([^']*)' could not be mapped");
        if (unmapped.Success)
        {
            // The reader reports the object holding the field; name the field itself.
            string objPath = rel.EndsWith("." + unmapped.Groups[1].Value, StringComparison.Ordinal) ? rel[..^(unmapped.Groups[1].Value.Length + 1)] : rel;
            string? own = TypeAt(info, objPath) is { } record
                ? contract.UnknownFieldMessage(record, info.Options.GetTypeInfo(record).Properties.Select(x => x.Name).ToList()) : null;
            return new(Join(basePath, Member(objPath, unmapped.Groups[1].Value)), own ?? "unknown field.");
        }
        if (ex is JsonFieldException field) return new(Join(basePath, rel) + field.SubPath, field.Message);
        var actual = At(root, rel);
        var nullProp = Regex.Match(m, "(The property or field|The constructor parameter) '([^']*)' on type '[^']*' doesn't allow (setting |getting )?null");
        if (nullProp.Success) return new(Join(basePath, rel), "must not be null.");
        var missing = Regex.Match(m, "missing required properties including: (.*)\\.");
        if (missing.Success) return new(Join(basePath, rel), $"missing required fields: {missing.Groups[1].Value}.");
        var conv = Regex.Match(m, @"could not be converted to ([^ ]+?)\.? Path:");
        if (conv.Success)
        {
            // The generated code reads an init property as a constructor argument and names the record, not the property,
            // in its message; the contract says what the value at the path should be.
            var atType = TypeAt(info, rel);
            if (atType is not null && contract.KindMessage(atType, actual) is { } own) return new(Join(basePath, rel), own);
            string expected = atType is not null ? Expected(atType) : ExpectedName(conv.Groups[1].Value);
            if (actual?.GetValueKind() == JsonValueKind.Number && expected.StartsWith("a whole number", StringComparison.Ordinal))
                return new(Join(basePath, rel), $"{Clip(actual.ToJsonString())} is not {expected}.");
            if (actual?.GetValueKind() == JsonValueKind.String && expected.StartsWith("one of", StringComparison.Ordinal))
                return new(Join(basePath, rel), $"'{Clip(actual.GetValue<string>())}' is not {expected}.");
            return new(Join(basePath, rel), $"expected {expected}, got {Kind(actual)}.");
        }
        if (m.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)) return new(Join(basePath, rel), "a key appears twice in one object; each key may appear once.");
        if (m.Contains("depth", StringComparison.OrdinalIgnoreCase)) return new(Join(basePath, rel), $"nested deeper than {MaxDepth} levels.");
        return new(Join(basePath, rel), $"expected {Expected(top)} here, got {Kind(actual)}.");
    }

    /// <summary>The .NET type the contract <paramref name="info"/> reads at <paramref name="path"/> (<c>$.a[0].b</c>), or null.</summary>
    private static Type? TypeAt(JsonTypeInfo info, string path)
    {
        int i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (Nullable.GetUnderlyingType(info.Type) is { } underlying) info = info.Options.GetTypeInfo(underlying);
            string? key = null;
            if (path[i] == '.')
            {
                int j = i + 1;
                while (j < path.Length && path[j] is not ('.' or '[')) j++;
                key = path[(i + 1)..j];
                i = j;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var sb = new StringBuilder();
                int j = i + 2;
                while (j < path.Length && path[j] != '\'') { if (path[j] == '\\' && j + 1 < path.Length) j++; sb.Append(path[j]); j++; }
                key = sb.ToString();
                i = j + 2;
            }
            else if (path[i] == '[')
            {
                int j = path.IndexOf(']', i);
                if (j < 0 || info.Kind != JsonTypeInfoKind.Enumerable || info.ElementType is not { } element) return null;
                info = info.Options.GetTypeInfo(element);
                i = j + 1;
                continue;
            }
            else return null;
            if (info.Kind == JsonTypeInfoKind.Object && info.Properties.FirstOrDefault(p => p.Name == key) is { } property) info = info.Options.GetTypeInfo(property.PropertyType);
            else if (info.Kind == JsonTypeInfoKind.Dictionary && info.ElementType is { } value) info = info.Options.GetTypeInfo(value);
            else return null;
        }
        return info.Type;
    }

    private static string Join(string basePath, string rel) => rel is "$" or "" ? basePath : basePath + rel[1..];

    private static string ExpectedName(string typeName)
    {
        var inner = Regex.Match(typeName, @"^System\.Nullable`1\[(.*)\]$");
        if (inner.Success) typeName = inner.Groups[1].Value;
        var t = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName, throwOnError: false)).FirstOrDefault(x => x is not null);
        return t is null ? typeName switch
        {
            _ when typeName.Contains("List", StringComparison.Ordinal) || typeName.EndsWith("[]", StringComparison.Ordinal) => "an array",
            _ => "a value of type " + typeName,
        } : Expected(t);
    }

    /// <summary>What a JSON value for a .NET type looks like, in words ("a string", "a whole number in [..]", "one of a, b").</summary>
    public static string Expected(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(string)) return "a string";
        if (t == typeof(bool)) return "true or false";
        if (t == typeof(int)) return $"a whole number in [{int.MinValue}, {int.MaxValue}]";
        if (t == typeof(long)) return $"a whole number in [{long.MinValue}, {long.MaxValue}]";
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal)) return "a number";
        if (t.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(t).Select(n => JsonNamingPolicy.KebabCaseLower.ConvertName(n)));
        if (t.IsArray || (t != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(t) && !IsDictionary(t))) return "an array";
        return "an object";
    }

    private static bool IsDictionary(Type t) => t.GetInterfaces().Append(t).Any(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));

    /// <summary>The node at a path of the form <c>$.a.b[0]['c d']</c> inside <paramref name="root"/>, or null.</summary>
    public static JsonNode? At(JsonNode? root, string path)
    {
        JsonNode? n = root;
        int i = path.StartsWith('$') ? 1 : 0;
        while (n is not null && i < path.Length)
        {
            if (path[i] == '.')
            {
                int j = i + 1;
                while (j < path.Length && path[j] is not ('.' or '[')) j++;
                n = n is JsonObject o ? o[path[(i + 1)..j]] : null;
                i = j;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var sb = new StringBuilder();
                int j = i + 2;
                while (j < path.Length && path[j] != '\'') { if (path[j] == '\\' && j + 1 < path.Length) j++; sb.Append(path[j]); j++; }
                n = n is JsonObject o ? o[sb.ToString()] : null;
                i = j + 2;
            }
            else if (path[i] == '[')
            {
                int j = path.IndexOf(']', i);
                if (j < 0 || !int.TryParse(path.AsSpan(i + 1, j - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var k)) return null;
                n = n is JsonArray a && k < a.Count ? a[k] : null;
                i = j + 1;
            }
            else return null;
        }
        return n;
    }

    /// <summary>
    /// Resolves a file named inside an input file (a scenario's <c>regime</c> or <c>electorate.specFile</c>, a sweep's
    /// <c>base</c>, a workshop step's <c>scenario</c>) against the referencing file's folder. The result must stay inside that
    /// folder or inside one of the project's data folders (data-synthetic/ and notebooks/, see <see cref="DataFolders"/>, when the
    /// file sits in the project), unless <paramref name="allowOutside"/> (the command line's <c>--allow-outside-paths</c>).
    /// </summary>
    /// <returns>The full path, or null after adding an error at <paramref name="path"/>.</returns>
    public static string? ResolveReference(string? baseDirectory, string reference, string path, bool allowOutside, List<ValidationError> errors)
    {
        string dir = Path.GetFullPath(baseDirectory ?? Directory.GetCurrentDirectory());
        if (reference.Length == 0 || reference.Contains('\0'))
        {
            errors.Add(new(path, "expected a file name, got an empty or malformed string."));
            return null;
        }
        string full;
        try { full = Path.GetFullPath(Path.Combine(dir, reference)); }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            errors.Add(new(path, $"'{Clip(reference)}' is not a valid file name."));
            return null;
        }
        if (allowOutside) return full;
        var roots = new List<string> { dir };
        roots.AddRange(DataFolders(dir));
        if (roots.Any(r => Inside(full, r))) return full;
        errors.Add(new(path, $"'{Clip(reference)}' leaves the folder of the file that names it ({dir}) and the project's data folders (data-synthetic/, notebooks/); pass --allow-outside-paths to read it anyway."));
        return null;
    }

    /// <summary>The project's data folders (data-synthetic/ and notebooks/ of the nearest ancestor holding either) above <paramref name="directory"/>.</summary>
    public static IReadOnlyList<string> DataFolders(string directory)
    {
        for (var d = new DirectoryInfo(Path.GetFullPath(directory)); d is not null; d = d.Parent)
        {
            var found = new[] { "data-synthetic", "notebooks" }.Select(n => Path.Combine(d.FullName, n)).Where(Directory.Exists).ToArray();
            if (found.Length > 0) return found;
        }
        return [];
    }

    private static bool Inside(string full, string root)
    {
        root = Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal);
    }

    /// <summary>
    /// Reads a referenced JSON file as an object; a missing file, an unreadable one or one that is not JSON is an error at
    /// <paramref name="path"/> (its content is never quoted). Errors inside the file are reported under <paramref name="path"/>.
    /// </summary>
    public static JsonObject? ReadReference(string fullPath, string path, string what, List<ValidationError> errors)
    {
        if (!File.Exists(fullPath)) { errors.Add(new(path, $"the file '{fullPath}' does not exist.")); return null; }
        string text;
        try { text = File.ReadAllText(fullPath); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { errors.Add(new(path, $"the file '{fullPath}' cannot be read ({ex.GetType().Name}).")); return null; }
        try { return ParseObject(text, what); }
        catch (SpecValidationException ex) { errors.AddRange(ex.Errors.Select(e => e with { Path = $"{path} ({Path.GetFileName(fullPath)}) {e.Path}" })); return null; }
    }
}
