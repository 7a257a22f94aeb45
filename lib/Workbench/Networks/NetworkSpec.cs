namespace Workbench.Networks;

/// <summary>
/// The social network a scenario's campaigns work through (scenario field <c>network</c>; docs/networks.md): how the
/// electorate's online graph is built — party, age and issue homophily, degrees — and how owned posts spread over it by
/// cascade — acceptance and how fast sharing falls with opinion distance (the feed's preference for like-minded content).
/// Absent, both are their defaults, exactly as before the field existed.
/// </summary>
public sealed record NetworkSpec
{
    /// <summary>The graph's options (<see cref="ElectorateGraphOptions"/>).</summary>
    public ElectorateGraphOptions Graph { get; init; } = new();

    /// <summary>The cascade's options (<see cref="CascadeOptions"/>).</summary>
    public CascadeOptions Cascade { get; init; } = new();

    /// <summary>The defaults.</summary>
    public static NetworkSpec Default { get; } = new();

    /// <summary>Range checks of both parts, with JSON paths under <paramref name="path"/>.</summary>
    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (Graph is null) errors.Add(new(path + ".graph", "must be an object."));
        else Parameters.CheckRanges(Graph, path + ".graph", errors);
        if (Cascade is null) errors.Add(new(path + ".cascade", "must be an object."));
        else Parameters.CheckRanges(Cascade, path + ".cascade", errors);
        return errors;
    }
}
