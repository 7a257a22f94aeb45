using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace Workbench.Json;

/// <summary>
/// Building blocks of the JSON Schemas (draft 2020-12) of the input formats (docs/file-formats.md): the schema of a spec
/// record generated from the same source-generated contract the parser reads it with (with the valid ranges of its
/// <see cref="ParamAttribute"/>s), and small constructors for the hand-written parts of irregular formats.
/// </summary>
public static class JsonSchemas
{
    /// <summary>The draft every schema declares.</summary>
    public const string Draft = "https://json-schema.org/draft/2020-12/schema";

    /// <summary>
    /// The schema of a record as its source-generated contract <paramref name="info"/> reads it (e.g.
    /// <c>ExperimentsJson.Contract.NetworkSpec</c>): its properties (camelCase), enum names, nullability, no unknown fields,
    /// and the [Param] range and description of each documented parameter. A <see cref="Loose{T}"/> field, which the parser
    /// reads whatever its kind to word the refusal itself, is described by the schema of its <c>T</c>.
    /// </summary>
    public static JsonObject Of(JsonTypeInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var node = info.GetJsonSchemaAsNode(new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, schema) =>
            {
                // A loose field (Loose<T>) is read whatever its kind, but the file should hold a T: describe the T.
                if (context.TypeInfo.Type is { IsGenericType: true } loose && loose.GetGenericTypeDefinition() == typeof(Loose<>))
                    schema = OfLoose(loose.GetGenericArguments()[0], context.TypeInfo.Options);
                var type0 = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
                // A type read by a custom converter (enums: StrictEnumConverter) comes as the "true" schema; give it an object.
                if (schema is not JsonObject o) { if (!type0.IsEnum) return schema; o = []; }
                if (context.TypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object && context.PropertyInfo is null && o.ContainsKey("properties"))
                    o["additionalProperties"] = false;
                var clr = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
                if (clr == typeof(int)) { o["minimum"] = int.MinValue; o["maximum"] = int.MaxValue; }
                var element = clr != typeof(string) ? clr.GetInterfaces().Append(clr).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0] : null;
                if (element is { IsEnum: true } && !o.ContainsKey("items"))
                    o["items"] = new JsonObject { ["enum"] = new JsonArray(System.Enum.GetNames(element).Select(n => (JsonNode?)JsonNamingPolicy.KebabCaseLower.ConvertName(n)).ToArray()) };
                if (clr.IsEnum)
                {
                    // Enums are read by their kebab-case names only (StrictEnumConverter): list exactly those.
                    var names = new JsonArray(System.Enum.GetNames(clr).Select(n => (JsonNode?)JsonNamingPolicy.KebabCaseLower.ConvertName(n)).ToArray());
                    if (Nullable.GetUnderlyingType(context.TypeInfo.Type) is not null) names.Add(null);
                    o.Remove("type");
                    o["enum"] = names;
                }
                if (context.PropertyInfo?.AttributeProvider is ICustomAttributeProvider p
                    && p.GetCustomAttributes(typeof(ParamAttribute), inherit: false).FirstOrDefault() is ParamAttribute attr)
                {
                    o["description"] = attr.Description;
                    var target = o["type"] is JsonArray { Count: > 0 } t && t.Any(x => x?.GetValue<string>() == "array") && o["items"] is JsonObject items ? items : o;
                    if (double.IsFinite(attr.Min)) target["minimum"] = attr.Min;
                    if (double.IsFinite(attr.Max)) target["maximum"] = attr.Max;
                }
                return o;
            },
        });
        return (JsonObject)node;
    }

    /// <summary>
    /// The schema of what a <see cref="Loose{T}"/> field should hold: any object or array for <see cref="JsonObject"/> and
    /// <see cref="JsonArray"/> (kept as written), else the schema of <paramref name="type"/> as its contract reads it.
    /// </summary>
    private static JsonObject OfLoose(Type type, JsonSerializerOptions options)
    {
        if (type == typeof(JsonObject)) return new JsonObject { ["type"] = "object" };
        if (type == typeof(JsonArray)) return new JsonObject { ["type"] = "array" };
        var info = options.GetTypeInfo(type);
        // The exporter leaves out the items of a list whose elements are read by a converter (a list of Loose<T>).
        if (info.Kind == JsonTypeInfoKind.Enumerable && info.ElementType is { IsGenericType: true } element && element.GetGenericTypeDefinition() == typeof(Loose<>))
            return new JsonObject { ["type"] = "array", ["items"] = OfLoose(element.GetGenericArguments()[0], options) };
        return Of(info);
    }

    /// <summary>Makes <paramref name="schema"/> the root of a file's schema: the draft, an id, a title, and "$schema" accepted as a string property.</summary>
    public static JsonObject Root(JsonObject schema, string name, string title)
    {
        var root = new JsonObject { ["$schema"] = Draft, ["$id"] = $"https://workbench.invalid/schemas/{name}.schema.json", ["title"] = title };
        foreach (var (k, v) in schema) root[k] = v?.DeepClone();
        if (root["properties"] is JsonObject props)
        {
            var withSchema = new JsonObject { [JsonInput.SchemaKey] = new JsonObject { ["type"] = "string", ["description"] = "The path or URL of this file's JSON Schema (ignored by Workbench)." } };
            foreach (var (k, v) in props) withSchema[k] = v?.DeepClone();
            root["properties"] = withSchema;
        }
        return root;
    }

    /// <summary>An object with these properties, nothing else, and these required ones.</summary>
    public static JsonObject Object(IEnumerable<(string Name, JsonNode Schema)> properties, params string[] required)
    {
        var props = new JsonObject();
        foreach (var (n, s) in properties) props[n] = s;
        var o = new JsonObject { ["type"] = "object", ["properties"] = props, ["additionalProperties"] = false };
        if (required.Length > 0) o["required"] = new JsonArray(required.Select(r => (JsonNode?)r).ToArray());
        return o;
    }

    /// <summary>An object whose every value has schema <paramref name="values"/> (a map such as party: votes).</summary>
    public static JsonObject Map(JsonNode values) => new() { ["type"] = "object", ["additionalProperties"] = values };

    /// <summary>A string, optionally non-empty.</summary>
    public static JsonObject String(bool nonEmpty = false) => nonEmpty ? new() { ["type"] = "string", ["minLength"] = 1 } : new() { ["type"] = "string" };

    /// <summary>One of these strings.</summary>
    public static JsonObject Enum(IEnumerable<string> values) => new() { ["enum"] = new JsonArray(values.Select(v => (JsonNode?)v).ToArray()) };

    /// <summary>A whole number in [min, max].</summary>
    public static JsonObject Integer(long min, long max) => new() { ["type"] = "integer", ["minimum"] = min, ["maximum"] = max };

    /// <summary>A number in [min, max].</summary>
    public static JsonObject Number(double min, double max) => new() { ["type"] = "number", ["minimum"] = min, ["maximum"] = max };

    /// <summary>true or false.</summary>
    public static JsonObject Boolean() => new() { ["type"] = "boolean" };

    /// <summary>An array of <paramref name="items"/> with at least <paramref name="minItems"/> elements.</summary>
    public static JsonObject Array(JsonNode items, int minItems = 0)
    {
        var o = new JsonObject { ["type"] = "array", ["items"] = items };
        if (minItems > 0) o["minItems"] = minItems;
        return o;
    }

    /// <summary>Adds a description to a schema and returns it.</summary>
    public static JsonObject Describe(this JsonObject schema, string description)
    {
        schema["description"] = description;
        return schema;
    }

    /// <summary>The schema as written to schemas/NAME.schema.json: indented, non-ASCII as is, one trailing newline.</summary>
    public static string ToText(JsonObject schema) =>
        schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
}
