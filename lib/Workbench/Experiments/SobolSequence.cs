using System.Globalization;

namespace Workbench.Experiments;

/// <summary>
/// The Sobol' low-discrepancy sequence in base 2 (Sobol' 1967), in Gray-code order (Antonov &amp; Saleev 1979), with the
/// direction numbers of S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional projections",
/// SIAM J. Sci. Comput. 30 (2008) 2635–2654, file "new-joe-kuo-6.21201" (https://web.maths.unsw.edu.au/~fkuo/sobol/),
/// embedded here for the first <see cref="MaxDimensions"/> dimensions. Point 0 is the origin; points 1, 2, 3, … are
/// (0.5, 0.5, …), (0.75, 0.25, …), (0.25, 0.75, …), exactly as the authors' reference program prints them. Unscrambled
/// and deterministic: the same index gives the same point on every machine.
/// </summary>
public sealed class SobolSequence
{
    /// <summary>Dimensions the embedded direction numbers cover (dimension 1 is the van der Corput sequence).</summary>
    public const int MaxDimensions = 64;
    /// <summary>Bits of each coordinate: the sequence has 2^32 distinct points.</summary>
    public const int Bits = 32;

    // new-joe-kuo-6.21201, dimensions 2..64, one row each: degree s of the primitive polynomial, its inner coefficients a
    // (as bits, highest power first), and the initial direction integers m_1..m_s.
    private static readonly string[] JoeKuo =
    [
        "1 0 1", "2 1 1 3", "3 1 1 3 1", "3 2 1 1 1", "4 1 1 1 3 3", "4 4 1 3 5 13", "5 2 1 1 5 5 17", "5 4 1 1 5 5 5",
        "5 7 1 1 7 11 19", "5 11 1 1 5 1 1", "5 13 1 1 1 3 11", "5 14 1 3 5 5 31", "6 1 1 3 3 9 7 49", "6 13 1 1 1 15 21 21",
        "6 16 1 3 1 13 27 49", "6 19 1 1 1 15 7 5", "6 22 1 3 1 15 13 25", "6 25 1 1 5 5 19 61", "7 1 1 3 7 11 23 15 103",
        "7 4 1 3 7 13 13 15 69", "7 7 1 1 3 13 7 35 63", "7 8 1 3 5 9 1 25 53", "7 14 1 3 1 13 9 35 107", "7 19 1 3 1 5 27 61 31",
        "7 21 1 1 5 11 19 41 61", "7 28 1 3 5 3 3 13 69", "7 31 1 1 7 13 1 19 1", "7 32 1 3 7 5 13 19 59", "7 37 1 1 3 9 25 29 41",
        "7 41 1 3 5 13 23 1 55", "7 42 1 3 7 3 13 59 17", "7 50 1 3 1 3 5 53 69", "7 55 1 1 5 5 23 33 13", "7 56 1 1 7 7 1 61 123",
        "7 59 1 1 7 9 13 61 49", "7 62 1 3 3 5 3 55 33", "8 14 1 3 1 15 31 13 49 245", "8 21 1 3 5 15 31 59 63 97",
        "8 22 1 3 1 11 11 11 77 249", "8 38 1 3 1 11 27 43 71 9", "8 47 1 1 7 15 21 11 81 45", "8 49 1 3 7 3 25 31 65 79",
        "8 50 1 3 1 1 19 11 3 205", "8 52 1 1 5 9 19 21 29 157", "8 56 1 3 7 11 1 33 89 185", "8 67 1 3 3 3 15 9 79 71",
        "8 70 1 3 7 11 15 39 119 27", "8 84 1 1 3 1 11 31 97 225", "8 97 1 1 1 3 23 43 57 177", "8 103 1 3 7 7 17 17 37 71",
        "8 115 1 3 1 5 27 63 123 213", "8 122 1 1 3 5 11 43 53 133", "9 8 1 3 5 5 29 17 47 173 479", "9 13 1 3 3 11 3 1 109 9 69",
        "9 16 1 1 1 5 17 39 23 5 343", "9 22 1 3 1 5 25 15 31 103 499", "9 25 1 1 1 11 11 17 63 105 183", "9 44 1 1 5 11 9 29 97 231 363",
        "9 47 1 1 5 15 19 45 41 7 383", "9 52 1 3 7 7 31 19 83 137 221", "9 55 1 1 1 3 23 15 111 223 83", "9 59 1 1 5 13 31 15 55 25 161",
        "9 62 1 1 3 13 25 47 39 87 257",
    ];

    /// <summary>The embedded rows of new-joe-kuo-6.21201 for dimensions 2.. <see cref="MaxDimensions"/>: polynomial degree, inner coefficients, initial direction integers.</summary>
    internal static IReadOnlyList<(int Degree, int Coefficients, int[] M)> Table { get; } = JoeKuo.Select(row =>
    {
        var n = row.Split(' ').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        return (n[0], n[1], n[2..]);
    }).ToArray();

    private static readonly uint[][] Directions = BuildDirections();

    private readonly int _dimensions;

    /// <summary>A sequence of points in [0, 1)^<paramref name="dimensions"/>.</summary>
    public SobolSequence(int dimensions)
    {
        if (dimensions < 1 || dimensions > MaxDimensions) throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, $"dimensions must be between 1 and {MaxDimensions} (the embedded Joe & Kuo direction numbers).");
        _dimensions = dimensions;
    }

    /// <summary>Dimensions of each point.</summary>
    public int Dimensions => _dimensions;

    /// <summary>Point <paramref name="index"/> of the sequence (Gray-code order; index 0 is the origin).</summary>
    public double[] Point(long index)
    {
        if (index < 0 || index > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(index), index, $"index must be between 0 and {uint.MaxValue}.");
        var point = new double[_dimensions];
        Fill(index, point);
        return point;
    }

    /// <summary>Writes point <paramref name="index"/> into <paramref name="point"/> (length <see cref="Dimensions"/>).</summary>
    public void Fill(long index, Span<double> point)
    {
        uint gray = (uint)index ^ ((uint)index >> 1);
        for (int d = 0; d < _dimensions; d++)
        {
            uint x = 0, g = gray;
            var v = Directions[d];
            for (int j = 0; g != 0; j++, g >>= 1) if ((g & 1) != 0) x ^= v[j];
            point[d] = x * (1.0 / 4294967296.0);
        }
    }

    /// <summary>Points <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1, one row each.</summary>
    public double[][] Points(long first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (first < 0 || first + count - 1 > uint.MaxValue) throw new ArgumentOutOfRangeException(nameof(first), first, $"the points must have indices between 0 and {uint.MaxValue}.");
        var rows = new double[count][];
        for (int i = 0; i < count; i++) rows[i] = Point(first + i);
        return rows;
    }

    /// <summary>Direction numbers v_j = m_j / 2^j scaled by 2^32 (Bratley &amp; Fox 1988 recurrence, as Joe &amp; Kuo state it).</summary>
    private static uint[][] BuildDirections()
    {
        var all = new uint[MaxDimensions][];
        all[0] = Enumerable.Range(0, Bits).Select(j => 1u << (31 - j)).ToArray();
        for (int d = 1; d < MaxDimensions; d++)
        {
            var (s, a, m) = Table[d - 1];
            var v = new uint[Bits];
            for (int j = 0; j < Bits; j++)
            {
                if (j < s) { v[j] = (uint)m[j] << (31 - j); continue; }
                uint x = v[j - s] ^ (v[j - s] >> s);
                for (int k = 1; k < s; k++) if (((a >> (s - 1 - k)) & 1) != 0) x ^= v[j - k];
                v[j] = x;
            }
            all[d] = v;
        }
        return all;
    }
}
