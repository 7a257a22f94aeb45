namespace Workbench.Elections;

/// <summary>Counted ballots: votes per constituency and party, voters who turned out, and registered voters.</summary>
public sealed record Ballots(IReadOnlyList<string> Parties, long[][] Votes, long[] Voted, long[] Registered)
{
    /// <summary>National votes per party.</summary>
    public long[] National
    {
        get
        {
            var t = new long[Parties.Count];
            foreach (var row in Votes) for (int j = 0; j < t.Length; j++) t[j] += row[j];
            return t;
        }
    }

    /// <summary>National turnout: voters who voted / registered voters.</summary>
    public double Turnout => (double)Voted.Sum() / Math.Max(1, Registered.Sum());
}
