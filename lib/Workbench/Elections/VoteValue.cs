namespace Workbench.Elections;

/// <summary>
/// What one more seat costs a party in one district of a list system: the fewest extra votes (others' votes unchanged)
/// that win it a further seat there, and that number as a share of the district's votes. Small districts and thresholds
/// make these costs uneven — a party just below a district threshold, or just short of a district's next quotient, gains
/// a seat for few votes — which is where targeting can matter under PR.
/// </summary>
/// <param name="District">District name.</param>
/// <param name="Party">Party name.</param>
/// <param name="DistrictSeats">Seats of the district.</param>
/// <param name="Seats">Seats the party wins there now.</param>
/// <param name="DistrictVotes">Valid votes cast in the district.</param>
/// <param name="VotesToNextSeat">Fewest extra votes for one more seat, or null when no number of extra votes up to the district's own total wins one (the party already holds every seat).</param>
/// <param name="BelowThreshold">True when the party is below the district threshold now.</param>
public sealed record NextSeatCost(string District, string Party, int DistrictSeats, int Seats, long DistrictVotes, long? VotesToNextSeat, bool BelowThreshold)
{
    /// <summary><see cref="VotesToNextSeat"/> as a share of the district's votes (null when no seat can be won).</summary>
    public double? ShareToNextSeat => VotesToNextSeat is long v && DistrictVotes > 0 ? (double)v / DistrictVotes : null;
}

/// <summary>The cost of the next seat per district and party under a list system (see <see cref="NextSeatCost"/>).</summary>
public static class VoteValue
{
    /// <summary>
    /// For every district of list system <paramref name="system"/> and every party of <paramref name="ballots"/>: the
    /// fewest extra votes that win the party one more seat in that district (exact: a binary search over the party's
    /// votes with each step allocated by the system's method and district threshold; seats never fall as a party's
    /// own votes rise under divisor and largest-remainder methods with thresholds). Only list systems with districts.
    /// </summary>
    public static IReadOnlyList<NextSeatCost> NextSeat(ElectoralSystemSpec system, Ballots ballots, Electorate.Electorate e)
    {
        ArgumentNullException.ThrowIfNull(system); ArgumentNullException.ThrowIfNull(ballots); ArgumentNullException.ThrowIfNull(e);
        if (system.Type != "list") throw new ArgumentException($"the cost of the next seat is defined for list systems; '{system.Name}' is {system.Type}.", nameof(system));
        var map = system.DistrictMap(e);
        if (map.Seats.Length > 1 && system.Threshold is not null)
            throw new ArgumentException($"'{system.Name}' has several districts and a national threshold: the cost of a seat in one district then depends on every other district's votes, which this measure does not model.", nameof(system));
        int P = ballots.Parties.Count, R = map.Seats.Length;
        var dv = new long[R][];
        for (int r = 0; r < R; r++) dv[r] = new long[P];
        for (int k = 0; k < ballots.Votes.Length; k++) for (int j = 0; j < P; j++) dv[map.DistrictOf[k]][j] += ballots.Votes[k][j];
        double? share = system.DistrictThreshold ?? system.Threshold;
        var result = new List<NextSeatCost>(R * P);
        for (int r = 0; r < R; r++)
        {
            var votes = dv[r];
            long total = votes.Sum();
            var now = Seats(system, ballots.Parties, map.Names[r], map.Seats[r], votes, share);
            for (int j = 0; j < P; j++)
            {
                bool below = share is double t && votes[j] < t * total;
                long? cost = null;
                if (now[j] < map.Seats[r])
                {
                    long lo = 0, hi = Math.Max(1, total);
                    if (SeatsWith(j, hi) > now[j])
                    {
                        while (hi - lo > 1) { long mid = lo + (hi - lo) / 2; if (SeatsWith(j, mid) > now[j]) hi = mid; else lo = mid; }
                        cost = hi;
                    }
                }
                result.Add(new NextSeatCost(map.Names[r], ballots.Parties[j], map.Seats[r], now[j], total, cost, below));
            }

            int SeatsWith(int party, long extra)
            {
                var v = (long[])votes.Clone();
                v[party] += extra;
                return Seats(system, ballots.Parties, map.Names[r], map.Seats[r], v, share)[party];
            }
        }
        return result;
    }

    private static IReadOnlyList<int> Seats(ElectoralSystemSpec system, IReadOnlyList<string> parties, string name, int seats, long[] votes, double? thresholdShare) =>
        ElectionEngine.Run(new ElectionInput
        {
            Method = system.ParsedMethod, Parties = parties, Seats = seats,
            Threshold = thresholdShare is double t ? new Threshold { Share = t, Scope = "district" } : null,
            Districts = [new District(name, seats, null, votes)],
        }).Seats;
}
