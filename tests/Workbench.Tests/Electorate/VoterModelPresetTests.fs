/// The per-voter model's coefficients can be set in a preset or scenario's electorate spec (`"voterModel"`), so a user
/// changes the science of the electorate without recompiling; an absent field keeps the default model and the spec's bytes.
module Workbench.Tests.Electorate.VoterModelPresetTests

open System.Text.Json.Nodes
open Expecto
open Workbench
open Workbench.Electorate
open Workbench.Experiments

let private classroomWith (voterModel: string) =
    let root = JsonNode.Parse(ElectorateSpec.Preset("classroom").ToJson()).AsObject()
    root.["voterModel"] <- JsonNode.Parse voterModel
    root.ToJsonString()

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
            let spec = ElectorateSpec.Preset "classroom"
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
    ]
