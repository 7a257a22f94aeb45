namespace Workbench.Networks;

/// <summary>
/// The social network a scenario's campaigns work through (scenario field <c>network</c>; docs/networks.md): how the
/// electorate's online graph is built — party, age and issue homophily, degrees — and how owned posts spread over it by
/// cascade — acceptance and how fast sharing falls with opinion distance (the feed's preference for like-minded content) —
/// and, optionally, the opinion dynamics that move one issue's positions over it during the campaign weeks.
/// Absent, the graph and cascade are their defaults and no positions move, exactly as before the field existed.
/// </summary>
public sealed record NetworkSpec
{
    /// <summary>The graph's options (<see cref="ElectorateGraphOptions"/>).</summary>
    public ElectorateGraphOptions Graph { get; init; } = new();

    /// <summary>The cascade's options (<see cref="CascadeOptions"/>).</summary>
    public CascadeOptions Cascade { get; init; } = new();

    /// <summary>Opinion dynamics over the campaign weeks (<see cref="CampaignOpinion"/>); null (the default): positions do not move.</summary>
    public CampaignOpinion? Opinion { get; init; }

    /// <summary>The defaults.</summary>
    public static NetworkSpec Default { get; } = new();

    /// <summary>Range checks of every part, with JSON paths under <paramref name="path"/>; <paramref name="issues"/> (when known) bounds the opinion's issue.</summary>
    public IReadOnlyList<ValidationError> Validate(string path, int? issues = null)
    {
        var errors = new List<ValidationError>();
        if (Graph is null) errors.Add(new(path + ".graph", "must be an object."));
        else Parameters.CheckRanges(Graph, path + ".graph", errors);
        if (Cascade is null) errors.Add(new(path + ".cascade", "must be an object."));
        else Parameters.CheckRanges(Cascade, path + ".cascade", errors);
        Opinion?.Validate(path + ".opinion", issues, errors);
        return errors;
    }
}
