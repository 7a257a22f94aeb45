namespace Workbench.Elections;

/// <summary>
/// The largest allocation problem the library and <c>workbench allocate</c> accept (docs/elections.md,
/// "Limits"). Every limit is checked before any work starts, and a request beyond one is refused with a
/// message that names the field and the limit. The limits are far above any real election (the largest
/// legislature has about 3,000 seats, the largest electorate about 10^9 voters) and are chosen so that
/// every count and every intermediate product stays exact in the types the code uses and an allocation
/// at the limit finishes in seconds and fits in memory.
/// </summary>
public static class ElectionLimits
{
    /// <summary>Parties in one allocation: 1,000,000 (an allocation takes O(P log P + S log P) time and O(P) memory).</summary>
    public const int MaxParties = 1_000_000;

    /// <summary>Districts in one input: 100,000.</summary>
    public const int MaxDistricts = 100_000;

    /// <summary>Parties × districts: 10,000,000 (every district holds one vote count per party, 8 bytes each).</summary>
    public const long MaxCells = 10_000_000;

    /// <summary>Seats in one district, in the whole house, and after MMP leveling: 1,000,000.</summary>
    public const int MaxSeats = 1_000_000;

    /// <summary>
    /// Votes of one party in one district (and blank votes of one district) in JSON input: 10^15. JSON numbers are
    /// read as doubles, which hold every whole number up to 2^53 ≈ 9.007 × 10^15 exactly.
    /// </summary>
    public const long MaxVotes = 1_000_000_000_000_000;

    /// <summary>
    /// Any one vote count an allocation divides: a party's votes summed over all districts, or a district's
    /// valid votes when seats are apportioned to districts by votes: 10^18 (below 2^63, so it is a
    /// <see cref="long"/>, and quotient cross-products stay inside 128 bits). Sums over all parties of a district or
    /// of the nation are not limited: they are computed in 128-bit integers.
    /// </summary>
    public const long MaxVoteCount = 1_000_000_000_000_000_000;

    /// <summary>The first divisor of modified Sainte-Laguë must be above 0 and below 3, the second divisor (so the divisors increase).</summary>
    public const double MaxFirstDivisor = 3;
}
