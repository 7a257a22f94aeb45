using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Workbench;

/// <summary>
/// Results hand out their vectors as <see cref="ImmutableArray{T}"/>: read-only for every caller, indexed as fast as an
/// array, and made from the array the computation filled without a copy. The array must not be written after it is frozen.
/// </summary>
internal static class ImmutableArrays
{
    /// <summary>The array as an immutable array, without copying; the caller gives up writing to it.</summary>
    public static ImmutableArray<T> Frozen<T>(this T[] array) => ImmutableCollectionsMarshal.AsImmutableArray(array);

    /// <summary>The array behind an immutable array, for library code that reads it through an array-typed kernel; never written.</summary>
    public static T[] Raw<T>(this ImmutableArray<T> array) => ImmutableCollectionsMarshal.AsArray(array) ?? [];

    /// <summary>The array behind an optional immutable array (null stays null), for array-typed kernels that only read it.</summary>
    public static T[]? Raw<T>(this ImmutableArray<T>? array) => array is { } a ? a.Raw() : null;

    /// <summary>A jagged array as an immutable array of immutable rows, without copying the rows.</summary>
    public static ImmutableArray<ImmutableArray<T>> Frozen<T>(this T[][] rows)
    {
        var result = new ImmutableArray<T>[rows.Length];
        for (int i = 0; i < rows.Length; i++) result[i] = ImmutableCollectionsMarshal.AsImmutableArray(rows[i]);
        return ImmutableCollectionsMarshal.AsImmutableArray(result);
    }
}
