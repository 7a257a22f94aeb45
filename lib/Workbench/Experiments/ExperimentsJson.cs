using System.Text.Json.Serialization;
using Workbench.Behaviour;
using Workbench.Campaigns;
using Workbench.Elections;
using Workbench.Json;

namespace Workbench.Experiments;

/// <summary>
/// The source-generated System.Text.Json contracts of a scenario's top level (<see cref="ScenarioFileContract"/>), its
/// <c>electorate</c> block (<see cref="ScenarioElectorateContract"/>) and its arms (<see cref="ScenarioArmContract"/>), and of the
/// record-shaped blocks of a scenario that only the Experiments module reads (<see cref="Scenario.Parse"/>): <c>regulation</c>, <c>systems</c>, <c>forecast</c>, <c>network</c> (with its <c>opinion</c>),
/// <c>channels</c> and each arm's <c>campaigns</c>; and the Experiments formats read whole: sensitivity parameters files
/// (<see cref="SensitivityFileContract"/>), sweeps (<see cref="SweepFileContract"/>) and workshop cards with their questions
/// (<see cref="WorkshopCardContract"/>, <see cref="WorkshopQuestionsContract"/>), run manifests (<see cref="RunManifestContract"/>), and the files a planned sweep or analysis reads back: plan.json
/// (<see cref="SweepPlanContract"/>), a shard's manifest.json (<see cref="ShardManifestContract"/>) and sensitivity.json
/// (<see cref="SensitivityStudyContract"/>). A contract lives in the lowest module that reads or writes its type:
/// electorate specs in <c>ElectorateJson</c>, regimes in <c>DataJson</c>, these here, at the top, which may refer to every
/// module below. <see cref="Contract"/> is built with <see cref="JsonInput.CreateOptions"/>, the options every input contract
/// shares (docs/file-formats.md, "Contracts").
/// </summary>
[JsonSerializable(typeof(Workbench.Regulation.RegulationSpec))]
[JsonSerializable(typeof(ElectoralSystemSpec))]
[JsonSerializable(typeof(List<ElectoralSystemSpec>))]
[JsonSerializable(typeof(ForecastError))]
[JsonSerializable(typeof(Workbench.Networks.NetworkSpec))]
[JsonSerializable(typeof(ChannelSpec))]
[JsonSerializable(typeof(CampaignSpec))]
[JsonSerializable(typeof(List<CampaignSpec>))]
[JsonSerializable(typeof(ScenarioFileContract))]
[JsonSerializable(typeof(ScenarioElectorateContract))]
[JsonSerializable(typeof(ScenarioArmContract))]
[JsonSerializable(typeof(IReadOnlyList<Loose<ScenarioArmContract>>))]
[JsonSerializable(typeof(SensitivityFileContract))]
[JsonSerializable(typeof(SensitivityParameterContract))]
[JsonSerializable(typeof(IReadOnlyList<Loose<SensitivityParameterContract>>))]
[JsonSerializable(typeof(IReadOnlyList<Loose<string>>))]
[JsonSerializable(typeof(SweepFileContract))]
[JsonSerializable(typeof(SweepParameterContract))]
[JsonSerializable(typeof(SweepRangeContract))]
[JsonSerializable(typeof(IReadOnlyList<Loose<SweepParameterContract>>))]
[JsonSerializable(typeof(WorkshopCardContract))]
[JsonSerializable(typeof(WorkshopStepContract))]
[JsonSerializable(typeof(WorkshopRunContract))]
[JsonSerializable(typeof(IReadOnlyList<Loose<WorkshopStepContract>>))]
[JsonSerializable(typeof(WorkshopQuestionsContract))]
[JsonSerializable(typeof(WorkshopQuestionContract))]
[JsonSerializable(typeof(IReadOnlyList<Loose<WorkshopQuestionContract>>))]
[JsonSerializable(typeof(RunManifestContract))]
[JsonSerializable(typeof(RunOverridesContract))]
[JsonSerializable(typeof(SweepPlanContract))]
[JsonSerializable(typeof(IReadOnlyList<Loose<System.Text.Json.Nodes.JsonArray>>))]
[JsonSerializable(typeof(ShardManifestContract))]
[JsonSerializable(typeof(IReadOnlyList<Loose<int>>))]
[JsonSerializable(typeof(SensitivityStudyContract))]
internal sealed partial class ExperimentsJson : JsonSerializerContext, IInputContract
{
    /// <summary>The contracts, with the shared input options.</summary>
    public static ExperimentsJson Contract { get; } = new(JsonInput.CreateOptions());

    /// <inheritdoc/>
    public object? NewDefault(Type type) =>
        type == typeof(Workbench.Regulation.RegulationSpec) ? new Workbench.Regulation.RegulationSpec()
        : type == typeof(ElectoralSystemSpec) ? new ElectoralSystemSpec()
        : type == typeof(ForecastError) ? new ForecastError()
        : type == typeof(Workbench.Networks.NetworkSpec) ? new Workbench.Networks.NetworkSpec()
        : type == typeof(Workbench.Networks.ElectorateGraphOptions) ? new Workbench.Networks.ElectorateGraphOptions()
        : type == typeof(Workbench.Networks.CascadeOptions) ? new Workbench.Networks.CascadeOptions()
        : type == typeof(Workbench.Networks.CampaignOpinion) ? new Workbench.Networks.CampaignOpinion()
        : type == typeof(ChannelSpec) ? new ChannelSpec()
        : type == typeof(CampaignSpec) ? new CampaignSpec()
        : type == typeof(MessageChoice) ? new MessageChoice()
        : type == typeof(MessageSpaceSpec) ? new MessageSpaceSpec()
        : type == typeof(VolunteerSpec) ? new VolunteerSpec()
        : type == typeof(ScenarioFileContract) ? new ScenarioFileContract()
        : type == typeof(ScenarioElectorateContract) ? new ScenarioElectorateContract()
        : type == typeof(ScenarioArmContract) ? new ScenarioArmContract()
        : type == typeof(SensitivityFileContract) ? new SensitivityFileContract()
        : type == typeof(SensitivityParameterContract) ? new SensitivityParameterContract()
        : type == typeof(SweepFileContract) ? new SweepFileContract()
        : type == typeof(SweepParameterContract) ? new SweepParameterContract()
        : type == typeof(SweepRangeContract) ? new SweepRangeContract()
        : type == typeof(WorkshopCardContract) ? new WorkshopCardContract()
        : type == typeof(WorkshopStepContract) ? new WorkshopStepContract()
        : type == typeof(WorkshopRunContract) ? new WorkshopRunContract()
        : type == typeof(WorkshopQuestionsContract) ? new WorkshopQuestionsContract()
        : type == typeof(WorkshopQuestionContract) ? new WorkshopQuestionContract()
        : type == typeof(RunManifestContract) ? new RunManifestContract()
        : type == typeof(RunOverridesContract) ? new RunOverridesContract()
        : type == typeof(SweepPlanContract) ? new SweepPlanContract()
        : type == typeof(ShardManifestContract) ? new ShardManifestContract()
        : type == typeof(SensitivityStudyContract) ? new SensitivityStudyContract()
        : null;
}
