/// The per-voter model's coefficients can be set in a preset or scenario's electorate spec (`"voterModel"`), so a user
/// changes the science of the electorate without recompiling; an absent field keeps the default model and the spec's bytes.
/// Every shipped preset lists every coefficient, so the presets, not only the code, show the model a preset generates.
module Workbench.Tests.Electorate.VoterModelPresetTests

open System.IO
open System.Reflection
open System.Text.Json
open System.Text.Json.Nodes
open Expecto
open Workbench
open Workbench.Electorate
open Workbench.Experiments

let private classroomWith (voterModel: string) =
    let root = JsonNode.Parse(ElectorateSpec.Preset("classroom").ToJson()).AsObject()
    root.["voterModel"] <- JsonNode.Parse voterModel
    root.ToJsonString()

/// The classroom preset without its voterModel block: a spec that leaves the per-voter model at its defaults.
let private classroomWithoutModel () =
    let root = JsonNode.Parse(ElectorateSpec.Preset("classroom").ToJson()).AsObject()
    root.Remove "voterModel" |> ignore
    ElectorateSpec.FromJson(root.ToJsonString()).EnsureValid()

/// The coefficients of VoterModelSpec: its properties with a [Param], by their JSON (camelCase) names.
let private paramProperties =
    typeof<VoterModelSpec>.GetProperties(BindingFlags.Public ||| BindingFlags.Instance)
    |> Array.filter (fun p -> p.GetCustomAttribute<ParamAttribute>() <> null)
    |> Array.map (fun p -> JsonNamingPolicy.CamelCase.ConvertName p.Name, p)

/// A coefficient's value as numbers (one for a scalar, the list for a list), to compare across specs.
let private numbers (value: obj) : float list =
    match value with
    | :? float as x -> [ x ]
    | :? int as i -> [ float i ]
    | :? System.Collections.Generic.IReadOnlyList<float> as xs -> List.ofSeq xs
    | v -> failwithf "unexpected coefficient type %s" (v.GetType().Name)

let private jsonNumbers (node: JsonNode) : float list =
    match node with
    | :? JsonArray as a -> [ for x in a -> x.GetValue<float>() ]
    | v -> [ v.GetValue<float>() ]

[<Tests>]
let tests =
    testList "Electorate.VoterModel in specs" [
        test "a spec's voterModel drives the generator exactly as passing the same VoterModelSpec does, and changes the electorate" {
            let spec = ElectorateSpec.FromJson(classroomWith """{ "retirementAge": 60 }""").EnsureValid()
            Expect.equal spec.VoterModel.RetirementAge 60.0 "read from the spec"
            let fromSpec = Generator.Generate(spec, 20000, 7UL)
            let explicitModel = Generator.Generate(ElectorateSpec.Preset "classroom", 20000, 7UL, VoterModelSpec(RetirementAge = 60.0))
            let plain = Generator.Generate(ElectorateSpec.Preset "classroom", 20000, 7UL)
            Expect.equal fromSpec.Employment explicitModel.Employment "the same model gives the same voters"
            let retired (e: Electorate) = e.Employment |> Array.filter (fun x -> x = byte Employment.Retired) |> Array.length
            Expect.isGreaterThan (retired fromSpec) (retired plain) "retiring at 60 instead of 66 makes more voters retired"
        }
        test "a spec without voterModel keeps the default model and writes no voterModel field" {
            let spec = classroomWithoutModel ()
            Expect.isNull (box spec.VoterModel) "absent"
            Expect.isFalse (spec.ToJson().Contains "voterModel") "the spec's JSON (and so its hash) is unchanged"
            let viaDefault = Generator.Generate(spec, 5000, 3UL, VoterModelSpec.Default)
            Expect.equal (Generator.Generate(spec, 5000, 3UL).Employment) viaDefault.Employment "the default model"
        }
        test "an invalid coefficient or unknown field in voterModel is reported with its JSON path, also inside a scenario" {
            let errs = ElectorateSpec.FromJson(classroomWith """{ "retirementAge": -1 }""").Validate() |> Seq.map string |> String.concat "\n"
            Expect.stringContains errs "$.voterModel.retirementAge" "names the coefficient"
            let unknown = try ElectorateSpec.FromJson(classroomWith """{ "retirmentAge": 60 }""") |> ignore; "" with :? SpecValidationException as e -> e.Message
            Expect.stringContains unknown "$.voterModel.retirmentAge" "an unknown coefficient is an error"
            let scenario = $"""{{ "name": "x", "electorate": {{ "spec": {classroomWith "{ \"employedShare\": 1.5 }"}, "voters": 5000 }}, "systems": [ {{ "name": "FPTP", "type": "fptp" }} ],
                               "campaigns": [ {{ "party": "Red", "budget": 100, "channels": ["canvass"] }} ], "replicates": 1 }}"""
            let msg = try Scenario.Parse scenario |> ignore; "" with :? SpecValidationException as e -> e.Message
            Expect.stringContains msg "$.electorate.spec.voterModel.employedShare" "the path inside the scenario"
        }
        test "every shipped preset's voterModel block names exactly the [Param] coefficients of VoterModelSpec, in the file and the embedded copy" {
            Expect.isGreaterThan paramProperties.Length 50 "the model's coefficients were found"
            let expected = paramProperties |> Array.map fst |> Set.ofArray
            for preset in ElectorateSpec.PresetNames do
                let file = Path.Combine(Workbench.Notebooks.Tests.Repo.root, "data-synthetic", "presets", preset + ".json")
                let block = JsonNode.Parse(File.ReadAllText file).AsObject().["voterModel"]
                Expect.isNotNull block $"{preset}.json has a voterModel block"
                let names = [ for kv in block.AsObject() -> kv.Key ]
                Expect.equal (List.length names) (Set.count (Set.ofList names)) $"{preset}: no coefficient twice"
                let missing = Set.difference expected (Set.ofList names)
                let extra = Set.difference (Set.ofList names) expected
                Expect.isEmpty missing $"{preset}.json lacks coefficients of VoterModelSpec (add each new coefficient to every preset)"
                Expect.isEmpty extra $"{preset}.json names coefficients VoterModelSpec does not have"
                // The values in the file are the values the generator receives (the embedded copy parses to the same numbers).
                let spec = ElectorateSpec.Preset preset
                Expect.isNotNull (box spec.VoterModel) $"{preset}: the generator uses the preset's own model"
                for name, prop in paramProperties do
                    Expect.equal (numbers (prop.GetValue spec.VoterModel)) (jsonNumbers block.[name]) $"{preset}.voterModel.{name}: the file and the parsed spec agree"
        }
        test "the shipped presets' voterModel blocks carry the model's defaults, so listing them changed no electorate" {
            // A preset that departs from a default on purpose changes this test, with its reason, in the same commit.
            for preset in ElectorateSpec.PresetNames do
                let spec = ElectorateSpec.Preset preset
                for name, prop in paramProperties do
                    Expect.equal (numbers (prop.GetValue spec.VoterModel)) (numbers (prop.GetValue VoterModelSpec.Default)) $"{preset}.voterModel.{name} is the default"
            let spec = ElectorateSpec.Preset "classroom"
            let fromPreset = Generator.Generate(spec, 4000, 5UL)
            let fromDefault = Generator.Generate(spec, 4000, 5UL, VoterModelSpec.Default)
            Expect.equal fromPreset.Employment fromDefault.Employment "the same voters as with the code's default model"
            Expect.equal fromPreset.SincereVote fromDefault.SincereVote "the same votes"
        }
    ]
