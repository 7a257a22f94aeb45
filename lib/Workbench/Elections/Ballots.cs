using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace Workbench.Elections;

/// <summary>Counted ballots: votes per constituency and party, voters who turned out, and registered voters.</summary>
public sealed record Ballots(IReadOnlyList<string> Parties, ImmutableArray<ImmutableArray<long>> Votes, ImmutableArray<long> Voted, ImmutableArray<long> Registered)
{
    /// <summary>National votes per party.</summary>
    public ImmutableArray<long> National
    {
        get
        {
            var t = new long[Parties.Count];
            foreach (var row in Votes) for (int j = 0; j < t.Length; j++) t[j] += row[j];
            return ImmutableCollectionsMarshal.AsImmutableArray(t);
        }
    }

    /// <summary>National turnout: voters who voted / registered voters.</summary>
    public double Turnout => (double)Voted.Sum() / Math.Max(1, Registered.Sum());
}
