namespace Workbench.Elections;

/// <summary>
/// The facade: <c>Allocate.DHondt(votes, seats)</c> reads like the sentence it illustrates.
/// Votes are given as (party, votes) pairs in the order parties should be listed.
/// </summary>
public static class Allocate
{
    /// <summary>Allocates with any method in one district (a threshold and tie-break optional).</summary>
    public static ElectionResult With(Method method, IEnumerable<(string Party, long Votes)> votes, int seats, double? threshold = null,
        TieBreak tieBreak = TieBreak.MoreVotes, double firstDivisor = 1.4)
    {
        var list = votes.ToList();
        return ElectionEngine.Run(new ElectionInput
        {
            Method = method, Seats = method == Method.Fptp ? 1 : seats, Parties = list.Select(v => v.Party).ToArray(),
            Districts = [new District("national", method == Method.Fptp ? 1 : seats, null, list.Select(v => v.Votes).ToArray())],
            Threshold = threshold is double t ? new Threshold { Share = t } : null, TieBreak = tieBreak, FirstDivisor = Apportion.Rational(firstDivisor),
        });
    }

    public static ElectionResult DHondt(IEnumerable<(string, long)> votes, int seats, double? threshold = null) => With(Method.DHondt, votes, seats, threshold);
    public static ElectionResult SainteLague(IEnumerable<(string, long)> votes, int seats, double? threshold = null) => With(Method.SainteLague, votes, seats, threshold);
    public static ElectionResult ModifiedSainteLague(IEnumerable<(string, long)> votes, int seats, double firstDivisor = 1.4, double? threshold = null) => With(Method.ModifiedSainteLague, votes, seats, threshold, firstDivisor: firstDivisor);
    public static ElectionResult Hare(IEnumerable<(string, long)> votes, int seats, double? threshold = null) => With(Method.Hare, votes, seats, threshold);
    public static ElectionResult Droop(IEnumerable<(string, long)> votes, int seats, double? threshold = null) => With(Method.Droop, votes, seats, threshold);
    public static ElectionResult Fptp(IEnumerable<(string, long)> votes) => With(Method.Fptp, votes, 1);

    /// <summary>Runs a full input in the <c>workbench allocate</c> JSON format.</summary>
    public static ElectionResult FromJson(string json) => ElectionEngine.Run(ElectionJson.Parse(json));
}
