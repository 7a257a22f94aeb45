using System.Reflection;

namespace Workbench;

/// <summary>
/// Metadata of a model parameter: what it means, its unit, its valid range and the source it
/// was calibrated to. Put it on the properties of spec records; <see cref="Parameters"/>
/// validates ranges from it and generates documentation tables (docs/, notebook tables).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class ParamAttribute(string description) : Attribute
{
    /// <summary>What the parameter means.</summary>
    public string Description { get; } = description;
    /// <summary>Smallest valid value (inclusive).</summary>
    public double Min { get; init; } = double.NegativeInfinity;
    /// <summary>Largest valid value (inclusive).</summary>
    public double Max { get; init; } = double.PositiveInfinity;
    /// <summary>Unit of measurement, if any ("share", "pp", "households", "EUR").</summary>
    public string? Unit { get; init; }
    /// <summary>The published source a default was calibrated to, if any.</summary>
    public string? Citation { get; init; }
}

/// <summary>One validation problem: the JSON path of the offending value and what is wrong.</summary>
public sealed record ValidationError(string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>A spec failed validation. <see cref="Errors"/> lists every problem at once.</summary>
public sealed class SpecValidationException(IReadOnlyList<ValidationError> errors)
    : ArgumentException(Format(errors))
{
    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ValidationError> Errors { get; } = errors;

    private static string Format(IReadOnlyList<ValidationError> errors) =>
        errors.Count == 1 ? $"Invalid spec: {errors[0]}" :
        $"Invalid spec ({errors.Count} errors):" + string.Concat(errors.Select(e => Environment.NewLine + "  " + e));
}

/// <summary>A documented parameter, for tables in docs and notebooks.</summary>
public sealed record ParameterInfo(string Name, string Type, string Description, double Min, double Max, string? Unit, string? Default, string? Citation);

/// <summary>Validation and documentation helpers driven by <see cref="ParamAttribute"/>.</summary>
public static class Parameters
{
    /// <summary>Checks every numeric [Param] property of <paramref name="record"/> against its range; adds errors with JSON paths.</summary>
    public static void CheckRanges(object record, string path, List<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var prop in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attr = prop.GetCustomAttribute<ParamAttribute>();
            if (attr is null) continue;
            var value = prop.GetValue(record);
            string p = path + "." + JsonName(prop.Name);
            switch (value)
            {
                case double d: Range(errors, p, d, attr.Min, attr.Max); break;
                case float f: Range(errors, p, f, attr.Min, attr.Max); break;
                case int i: Range(errors, p, i, attr.Min, attr.Max); break;
                case long l: Range(errors, p, l, attr.Min, attr.Max); break;
                case IReadOnlyList<double> arr:
                    for (int k = 0; k < arr.Count; k++) Range(errors, $"{p}[{k}]", arr[k], attr.Min, attr.Max);
                    break;
            }
        }
    }

    /// <summary>Adds an error unless min ≤ value ≤ max and value is a number.</summary>
    public static void Range(List<ValidationError> errors, string path, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
            errors.Add(new ValidationError(path, $"{Fmt(value)} is outside the valid range [{Fmt(min)}, {Fmt(max)}]."));
    }

    /// <summary>Throws <see cref="SpecValidationException"/> if there are errors.</summary>
    public static void ThrowIfAny(IReadOnlyList<ValidationError> errors)
    {
        if (errors.Count > 0) throw new SpecValidationException(errors);
    }

    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> naming the parameter, the value and the range.</summary>
    public static double Require(string name, double value, double min, double max)
    {
        if (double.IsNaN(value) || value < min || value > max)
            throw new ArgumentOutOfRangeException(name, value, $"{name} = {Fmt(value)} is outside the valid range [{Fmt(min)}, {Fmt(max)}].");
        return value;
    }

    /// <summary>The documented parameters of a record type, with defaults read from a default instance when one can be built.</summary>
    public static IReadOnlyList<ParameterInfo> Describe(Type type, object? defaults = null)
    {
        var list = new List<ParameterInfo>();
        foreach (var prop in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attr = prop.GetCustomAttribute<ParamAttribute>();
            if (attr is null) continue;
            string? def = defaults is null ? null : FormatValue(prop.GetValue(defaults));
            list.Add(new ParameterInfo(JsonName(prop.Name), TypeName(prop.PropertyType), attr.Description, attr.Min, attr.Max, attr.Unit, def, attr.Citation));
        }
        return list;
    }

    /// <summary>camelCase name as used in JSON specs.</summary>
    public static string JsonName(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static string TypeName(Type t) => Nullable.GetUnderlyingType(t) is Type u ? TypeName(u) + " or null" : t == typeof(double) ? "number" : t == typeof(int) || t == typeof(long) ? "integer" :
        t == typeof(bool) ? "boolean" : t == typeof(string) ? "string" : t.IsArray ? TypeName(t.GetElementType()!) + "[]"
        : t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? TypeName(t.GetGenericArguments()[0]) + "[]" : t.Name;

    private static string? FormatValue(object? v) => v switch
    {
        null => null,
        double d => Fmt(d),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        System.Collections.IEnumerable e when v is not string => "[" + string.Join(", ", e.Cast<object?>().Select(FormatValue)) + "]",
        _ => v.ToString(),
    };

    /// <summary>
    /// The documented property a JSON path names, starting from <paramref name="root"/>: segments separated by dots, each a
    /// property's JSON name optionally followed by an index (<c>arms[0].campaigns[0].budget</c> from the scenario), walking
    /// through nullable values and into the elements of lists and arrays. Returns the property's [Param] attribute and the
    /// documented type that declares it (for messages), or nulls when a segment names no property or the last one is not
    /// documented.
    /// </summary>
    public static (ParamAttribute? Param, string? Owner) AtPath(Type root, string path)
    {
        ArgumentNullException.ThrowIfNull(root); ArgumentNullException.ThrowIfNull(path);
        var type = root;
        PropertyInfo? prop = null;
        foreach (var raw in path.Split('.'))
        {
            int bracket = raw.IndexOf('[', StringComparison.Ordinal);
            string name = bracket < 0 ? raw : raw[..bracket];
            prop = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).FirstOrDefault(p => JsonName(p.Name) == name);
            if (prop is null) return (null, null);
            type = Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType;
            if (bracket >= 0)
            {
                var element = type.IsArray ? type.GetElementType()
                    : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
                if (element is null) return (null, null);
                type = element;
            }
        }
        return prop?.GetCustomAttribute<ParamAttribute>() is { } attr ? (attr, $"{prop.DeclaringType!.Name}.{JsonName(prop.Name)}") : (null, null);
    }

    /// <summary>Every public type of the library with documented ([Param]) properties, in namespace and name order.</summary>
    public static IReadOnlyList<Type> DocumentedTypes() =>
        typeof(Parameters).Assembly.GetExportedTypes()
            .Where(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.GetCustomAttribute<ParamAttribute>() is not null))
            .OrderBy(t => t.Namespace, StringComparer.Ordinal).ThenBy(t => t.Name, StringComparer.Ordinal).ToArray();


    internal static string Fmt(double d) => double.IsPositiveInfinity(d) ? "∞" : double.IsNegativeInfinity(d) ? "-∞" : d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture);
}
