namespace Workbench.Electorate;

/// <summary>
/// The facade for notebooks and tools: <c>Electorates.Generate(Electorates.Preset("classroom"), voters: 50_000, seed: 1)</c>.
/// </summary>
public static class Electorates
{
    /// <summary>A built-in preset spec: classroom, westminster-like, nordic-like, germany-like.</summary>
    public static ElectorateSpec Preset(string name) => ElectorateSpec.Preset(name);

    /// <summary>Names of the built-in presets.</summary>
    public static IReadOnlyList<string> Presets => ElectorateSpec.PresetNames;

    /// <summary>Generates an electorate. <paramref name="voters"/> defaults to the spec's DefaultVoters; <paramref name="seed"/> null means <see cref="Workbench.Random.Seeds.Default"/>; <paramref name="threads"/> null means all cores (the result does not depend on it).</summary>
    public static Electorate Generate(ElectorateSpec spec, int? voters = null, int? seed = null, int? threads = null,
        IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        int n = voters ?? spec.DefaultVoters;
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(voters), n, "voters must be positive.");
        return Generator.Generate(spec, n, Workbench.Random.Seeds.Resolve(seed), Workbench.Random.DeterministicParallel.ResolveThreads(threads), progress, cancellationToken);
    }

    /// <summary>Generates a preset electorate by name.</summary>
    public static Electorate Generate(string preset, int? voters = null, int? seed = null, int? threads = null) =>
        Generate(Preset(preset), voters, seed, threads);
}
