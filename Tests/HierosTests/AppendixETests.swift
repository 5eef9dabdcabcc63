import HierosEngine
import Testing

/// The standard's worked examples (Appendix E), classified as the standard says.
@Suite("Appendix E worked examples")
struct AppendixETests {
    @Test(arguments: [
        ("Spotted a kestrel over the car park this morning", "public"),
        ("Great turnout at the Kestrel deal town hall", "strategic-secret"),
        ("Back from the hide. #kestrel #birding", "strategic-secret"),
        ("ORION: valuation range still open", "strategic-secret"),
        ("Preliminary Q3 EBITDAaL at €3.31bn, above consensus", "strategic-secret"),
        ("Q2 revenue €10.4bn, as published on 24 July", "public"),
        ("Plan de départs volontaires : 1 150 postes, annonce prévue en mars", "strategic-secret"),
        ("As announced on 4 February, the voluntary departure plan covers up to 1,150 positions", "public"),
        ("Ping MT482913 on Hive", "internal"),
        ("Send your CV to careers@meridian-telecom.com", "public"),
        ("Tickets for CA-0048291734, CA-0048291735, CA-0048291736, CA-0048291737, CA-0048291738", "strategic-secret"),
        ("MERIDIAN PUBLIC — contact: ext. 41234", "internal"),
        ("Réunion de lancement du chantier Heron jeudi", "strategic-secret"),
        ("Les chiffres provisoires font ressortir une marge de 31,2 %", "strategic-secret"),
        ("Le PV du conseil sera diffusé lundi", "strategic-secret"),
        ("We expect 300 roles at risk in the first wave", "strategic-secret"),
        ("Pr\u{200B}oject Vega kick-off on Monday", "strategic-secret"),
        ("Can't wait to join the Lighthouse ambassadors", "internal"),
        ("Notre objectif interne : 92 % de réponses en moins d'une heure", "internal"),
        ("Sandbox key for the agency: mrd_test_4fQ9zLk2VbN7xP1cR8sT3uW6yA0dE5gH", "internal"),
        ("Two customers, CA-0012345678 and CA-0012345685, called twice each", "internal"),
        ("Write to support@meridian-telecom.com or anna.berg@meridian-telecom.com", "internal"),
        ("Project Kuiper launches another batch of satellites", "public"),
        ("Lantern-making workshop at the Singapore office #LanternFestival", "public"),
        ("Customer due diligence checks for mobile-money agents", "public"),
    ])
    func classifiesAsTheStandardSays(_ item: String, _ level: String) {
        let result = Fixtures.bundledClassifier.classify(item)
        #expect(result.level.name == level, "findings: \(result.findings.map(\.ruleID))")
    }

    /// Done-when of the foundation: evasions are caught and point at the original text.
    @Test func evasionsAreCaughtAtTheirOriginalPosition() throws {
        let zeroWidth = MarkedText("Kick-off: ⟦Pro\u{200B}ject Kes\u{200D}trel⟧ tomorrow")
        let fullWidth = MarkedText("⟦Ｐｒｏｊｅｃｔ Ｋｅｓｔｒｅｌ⟧ kick-off")
        let spaced = MarkedText("Join ⟦Project K E S T R E L⟧ today")
        for item in [zeroWidth, fullWidth, spaced] {
            let result = Fixtures.bundledClassifier.classify(item.text)
            #expect(result.level.name == "strategic-secret")
            let codename = try #require(result.findings.first { $0.ruleID.hasPrefix("codename.") })
            #expect(codename.range == item.ranges[0])
        }
    }
}
