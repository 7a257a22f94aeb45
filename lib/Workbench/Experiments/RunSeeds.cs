using Workbench.Random;

namespace Workbench.Experiments;

/// <summary>
/// The one place where an experiment's seeds are derived from its master seed (shared/DESIGN.md: replicate seeds derive from
/// one master seed). Simulations, sweeps, sensitivity runs and <c>verify</c> all call these, so a replicate of a scenario
/// draws the same numbers whichever of them runs it.
/// </summary>
public static class RunSeeds
{
    /// <summary>The seed of replicate <paramref name="replicate"/> of a run with master seed <paramref name="masterSeed"/>.</summary>
    public static ulong Replicate(int masterSeed, int replicate) => Seeds.Derive((ulong)masterSeed, SeedLabels.Master.Replicate, (ulong)replicate);

    /// <summary>A replicate seed as written in results tables and manifests (the low 63 bits, so it is a non-negative 64-bit integer).</summary>
    public static long Column(ulong replicateSeed) => (long)(replicateSeed & 0x7FFFFFFFFFFFFFFF);

    /// <summary>
    /// The seed of the electorate a replicate runs on: one electorate shared by every replicate unless the scenario varies it,
    /// in which case each replicate draws its own from its replicate seed.
    /// </summary>
    public static int Electorate(int masterSeed, int replicate, bool varyElectorate) =>
        varyElectorate ? OwnElectorate(Replicate(masterSeed, replicate)) : SharedElectorate(masterSeed);

    /// <summary>The seed of a replicate's own electorate (scenarios that vary the electorate), from the replicate's seed.</summary>
    public static int OwnElectorate(ulong replicateSeed) => Seeds.DeriveInt(replicateSeed, 1);

    /// <summary>The seed of the electorate shared by every replicate of a run that does not vary it.</summary>
    public static int SharedElectorate(int masterSeed) => Seeds.DeriveInt((ulong)masterSeed, 0);
}
