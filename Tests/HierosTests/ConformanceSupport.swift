import Foundation
import HierosEngine
import HierosPolicy

// Support for ConformanceTests: the peer suites (gitleaks' and Presidio's own test cases, in
// ../shared/peer-suites), how their families map to the rules of the credentials and
// personal-data packs, which cases are out of scope and why, and the metrics.

/// The `credentials` and `personal-data` packs of `policies/packs`, included by a minimal set.
enum PackFixtures {
    static let packsFolder = Fixtures.packageRoot.appendingPathComponent("policies/packs")

    /// A set that includes both packs, nothing else (the defaults of the bundled set, so that a
    /// rule that forgot `options` would show).
    static let includingSet = PolicySource(path: "<conformance>/packs.yaml", contents: """
        version: 1
        defaults:
          options: [caseless, ucp]
        include:
          - pack: credentials
          - pack: personal-data
        """)

    static let packSources: [PolicySource] = try! PolicyLoader.sources(at: [packsFolder.path])
    static let policy: PolicySet = try! PolicyLoader.load(sources: [includingSet], packs: packSources)
    static let classifier = Classifier(policy: policy)
}

/// The peer suites' files, beside the repository as CI checks it out (`shared/` next to it).
enum PeerSuites {
    static let folder = Fixtures.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/peer-suites")

    struct GitleaksCase: Decodable {
        let rule: String
        let text: String
        let expect: String
        let path: String?
        let origin: String
        let line: Int
        var isPositive: Bool { expect == "match" }
    }

    struct PresidioCase: Decodable {
        struct Params: Decodable { let leniency: Int? }
        let entity: String
        let text: String
        let expected_count: Int
        let spans_utf8: [[Int]]?
        let result_order: String
        let params: Params?
        let origin: String
        let line: Int
        var isPositive: Bool { expected_count > 0 }
    }

    static func load<Case: Decodable>(_ name: String, as type: Case.Type) throws -> [Case] {
        let url = folder.appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n").map { try decoder.decode(Case.self, from: Data($0.utf8)) }
    }
}

/// Which rules of the packs answer for which peer rule or entity, and what is out of scope.
enum ConformanceMapping {
    /// Assignment-based rules that catch vendor keys written as `NAME = value`.
    static let assignment = ["credentials.secret-assignment", "credentials.service-key-assignment"]

    /// gitleaks rule id → rules of the credentials pack (a positive needs a finding of one of them).
    static let gitleaks: [String: [String]] = [
        "1password-secret-key": ["credentials.onepassword-secret"],
        "1password-service-account-token": ["credentials.onepassword-secret"],
        "age-secret-key": ["credentials.age-secret-key"],
        "anthropic-admin-api-key": ["credentials.anthropic-admin-key"],
        "anthropic-api-key": ["credentials.anthropic-api-key"],
        "atlassian-api-token": ["credentials.atlassian-api-token"] + assignment,
        "aws-access-token": ["credentials.aws-access-key-id"],
        "aws-amazon-bedrock-api-key-long-lived": ["credentials.aws-bedrock-api-key"],
        "aws-amazon-bedrock-api-key-short-lived": ["credentials.aws-bedrock-api-key"],
        "azure-ad-client-secret": ["credentials.azure-ad-client-secret"],
        "clickhouse-cloud-api-secret-key": ["credentials.clickhouse-cloud-key"],
        "cloudflare-api-key": ["credentials.cloudflare-api-token"],
        "cloudflare-global-api-key": ["credentials.cloudflare-global-api-key"],
        "cloudflare-origin-ca-key": ["credentials.cloudflare-origin-ca-key"],
        "curl-auth-header": ["credentials.http-authorization-header"],
        "curl-auth-user": ["credentials.curl-user-password"],
        "databricks-api-token": ["credentials.databricks-token"],
        "facebook-access-token": ["credentials.facebook-access-token"],
        "facebook-page-access-token": ["credentials.facebook-access-token"],
        "facebook-secret": assignment,
        "flyio-access-token": ["credentials.flyio-token"],
        "gcp-api-key": ["credentials.gcp-api-key"],
        "gcp-service-account": ["credentials.gcp-service-account-key"],
        "generic-api-key": assignment,
        "github-app-token": ["credentials.github-token"],
        "github-fine-grained-pat": ["credentials.github-token"],
        "github-oauth": ["credentials.github-token"],
        "github-pat": ["credentials.github-token"],
        "github-refresh-token": ["credentials.github-token"],
        "gitlab-pat": ["credentials.gitlab-token"],
        "gitlab-pat-routable": ["credentials.gitlab-token"],
        "gitlab-ptt": ["credentials.gitlab-token"],
        "gitlab-rrt": ["credentials.gitlab-token"],
        "gitlab-runner-authentication-token-routable": ["credentials.gitlab-token"],
        "grafana-cloud-api-token": ["credentials.grafana-token"],
        "grafana-service-account-token": ["credentials.grafana-token"],
        "hashicorp-tf-api-token": ["credentials.terraform-cloud-token"],
        "hashicorp-tf-password": assignment,
        "heroku-api-key": assignment,
        "heroku-api-key-v2": ["credentials.heroku-api-key"],
        "hubspot-api-key": assignment,
        "huggingface-access-token": ["credentials.huggingface-token"],
        "huggingface-organization-api-token": ["credentials.huggingface-token"],
        "infracost-api-token": ["credentials.infracost-api-key"],
        "jwt": ["credentials.jwt"],
        "jwt-base64": ["credentials.jwt-base64"],
        "kubernetes-secret-yaml": ["credentials.kubernetes-secret-data"],
        "mailchimp-api-key": ["credentials.mailchimp-api-key"],
        "maxmind-license-key": ["credentials.maxmind-license-key"],
        "messagebird-client-id": assignment,
        "notion-api-token": ["credentials.notion-token"],
        "nuget-config-password": ["credentials.xml-password-attribute"],
        "octopus-deploy-api-key": ["credentials.octopus-deploy-api-key"],
        "okta-access-token": ["credentials.okta-api-token"],
        "openai-api-key": ["credentials.openai-api-key"],
        "openshift-user-token": ["credentials.openshift-token"],
        "perplexity-api-key": ["credentials.perplexity-api-key"],
        "private-key": ["credentials.private-key"],
        "sentry-org-token": ["credentials.sentry-token"],
        "sentry-user-token": ["credentials.sentry-token"],
        "sidekiq-secret": ["credentials.bundler-source-credentials"],
        "sidekiq-sensitive-url": ["credentials.url-password"],
        "slack-app-token": ["credentials.slack-token"],
        "slack-bot-token": ["credentials.slack-token"],
        "slack-config-access-token": ["credentials.slack-token"],
        "slack-config-refresh-token": ["credentials.slack-token"],
        "slack-legacy-bot-token": ["credentials.slack-token"],
        "slack-legacy-token": ["credentials.slack-token"],
        "slack-legacy-workspace-token": ["credentials.slack-token"],
        "slack-user-token": ["credentials.slack-token"],
        "slack-webhook-url": ["credentials.slack-webhook-url"],
        "snyk-api-token": assignment,
        "sonar-api-token": ["credentials.sonarqube-token"] + assignment,
        "sourcegraph-access-token": ["credentials.sourcegraph-token"],
        "square-access-token": ["credentials.square-token"],
        "square-secret": ["credentials.square-token"],
        "stripe-access-token": ["credentials.stripe-secret-key", "credentials.stripe-test-key"],
        "sumologic-access-id": ["credentials.sumologic-access-key"],
        "sumologic-access-token": ["credentials.sumologic-access-key"],
        "vault-batch-token": ["credentials.vault-token"],
        "vault-service-token": ["credentials.vault-token"],
    ]

    /// gitleaks rules the pack does not cover, and why.
    static let gitleaksOutOfScope: [String: String] = [
        "pkcs12-file": "decided by the file name alone (a .p12/.pfx path); Hieros classifies text",
        "freemius-secret-key": "decided by the file extension (.php) and a vendor the pack does not cover",
    ]
    static let gitleaksDefaultReason = "vendor token format not covered by the pack"

    /// Presidio entity → rules of the personal-data pack (a positive needs exactly the expected
    /// number of findings of these rules, at the expected places).
    static let presidio: [String: [String]] = [
        "EMAIL_ADDRESS": ["personal-data.email-address"],
        "PHONE_NUMBER": ["personal-data.phone-number"],
        "IBAN_CODE": ["personal-data.iban"],
        "CREDIT_CARD": ["personal-data.payment-card"],
        "IP_ADDRESS": ["personal-data.ip-address"],
        "US_SSN": ["personal-data.us-ssn", "personal-data.us-ssn-undelimited"],
        "UK_NINO": ["personal-data.uk-nino"],
        "UK_NHS": ["personal-data.uk-nhs-number"],
        "ES_NIF": ["personal-data.es-dni"],
        "ES_NIE": ["personal-data.es-nie"],
        "IT_FISCAL_CODE": ["personal-data.it-codice-fiscale"],
        "PL_PESEL": ["personal-data.pl-pesel"],
        "SE_PERSONNUMMER": ["personal-data.se-personnummer"],
        "FI_PERSONAL_IDENTITY_CODE": ["personal-data.fi-hetu"],
        "CA_SIN": ["personal-data.ca-sin", "personal-data.ca-sin-undelimited"],
        "DE_TAX_ID": ["personal-data.de-tax-id"],
        "TR_NATIONAL_ID": ["personal-data.tr-tckn"],
    ]

    /// Presidio entities the pack does not cover, by reason.
    static let presidioOutOfScope: [String: [String]] = [
        "identifiers of organisations, not of persons": [
            "AU_ABN", "AU_ACN", "SG_UEN", "SE_ORGANISATIONSNUMMER", "DE_HANDELSREGISTER", "DE_VAT_ID", "IT_VAT_CODE",
            "IN_GSTIN", "KR_BRN", "DE_BSNR", "DE_TAX_NUMBER",
        ],
        "national or document identifiers of countries and documents outside the pack (it covers US SSN, UK NINO/NHS, ES, IT, PL, SE, FR, FI, CA, DE Steuer-ID, TR)": [
            "AU_TFN", "AU_MEDICARE", "IN_AADHAAR", "IN_PAN", "IN_PASSPORT", "IN_VOTER", "KR_RRN", "KR_FRN", "KR_PASSPORT",
            "KR_DRIVER_LICENSE", "SG_NRIC_FIN", "TH_TNIN", "ZA_ID_NUMBER", "NG_NIN", "PH_TIN", "US_ITIN", "US_PASSPORT",
            "US_DRIVER_LICENSE", "US_MBI", "US_NPI", "UK_PASSPORT", "UK_DRIVING_LICENCE", "ES_PASSPORT", "IT_DRIVER_LICENSE",
            "IT_IDENTITY_CARD", "IT_PASSPORT", "DE_ID_CARD", "DE_PASSPORT", "DE_FUEHRERSCHEIN", "DE_HEALTH_INSURANCE",
            "DE_SOCIAL_SECURITY", "DE_LANR", "MEDICAL_LICENSE",
        ],
        "vehicle registrations, postcodes and dates: not personal on their own": [
            "UK_VEHICLE_REGISTRATION", "DE_KFZ", "TR_LICENSE_PLATE", "NG_VEHICLE_REGISTRATION", "IN_VEHICLE_REGISTRATION",
            "UK_POSTCODE", "DE_PLZ", "DATE_TIME",
        ],
        "region-locked libphonenumber recognizers that accept bare digit strings by the region's numbering plan; the pack's phone rule is region-agnostic": [
            "PH_MOBILE_NUMBER", "TR_PHONE_NUMBER",
        ],
        "plain URLs, MAC addresses and crypto wallets are not personal data by themselves (URLs with a user or password are, see url-username and credentials.url-password)": [
            "URL", "MAC_ADDRESS", "CRYPTO",
        ],
        "bank routing and bare account numbers have no checkable format (IBANs and cards are covered)": [
            "ABA_ROUTING_NUMBER", "US_BANK_NUMBER",
        ],
        "a test of Presidio's deny-list configuration, not of a detector": ["TITLE"],
    ]

    static func presidioOutOfScopeReason(_ entity: String) -> String {
        presidioOutOfScope.first { $0.value.contains(entity) }?.key ?? "entity not covered by the pack"
    }

    /// Peer cases whose expectation contradicts the identifier's specification: counted and
    /// printed apart, not in recall or false-positive rates. Keyed by entity; the predicate
    /// picks the cases.
    static let presidioDisputed: [(entity: String, reason: String, applies: @Sendable (PeerSuites.PresidioCase) -> Bool)] = [
        ("DE_TAX_ID",
         "the expected IDs (12345678903, 98765432106) have ten distinct leading digits; §139b AO IDs have exactly one digit twice or three times",
         { $0.isPositive }),
        ("IT_FISCAL_CODE",
         "AAAAAA00B11C333N is expected although its control character is wrong (Y is right), as the test's own comment says",
         { $0.isPositive && $0.text.contains("C333N") }),
    ]
}

/// Recall and false-positive rate of one peer family.
struct FamilyScore {
    var positives = 0
    var hits = 0
    var negatives = 0
    var falsePositives = 0
    var misses: [String] = []
    var falseAlarms: [String] = []

    var recall: Double? { positives == 0 ? nil : Double(hits) / Double(positives) }
    var falsePositiveRate: Double? { negatives == 0 ? nil : Double(falsePositives) / Double(negatives) }
}

/// The whole run: scores by (suite, family), out-of-scope and disputed counts by reason.
struct ConformanceReport {
    var scores: [String: FamilyScore] = [:]
    var outOfScope: [String: Int] = [:]
    var disputed: [String: Int] = [:]

    static func key(_ suite: String, _ family: String) -> String { "\(suite)/\(family)" }

    /// A gitleaks family as the peer README groups them: the first word of the rule id.
    static func gitleaksFamily(_ rule: String) -> String { String(rule.split(separator: "-").first ?? Substring(rule)) }

    static func run(gitleaks: [PeerSuites.GitleaksCase], presidio: [PeerSuites.PresidioCase],
                    classifier: Classifier) -> ConformanceReport {
        var report = ConformanceReport()
        let session = classifier.makeSession()
        // A negative whose text is also a positive of the same rule is decided by its path.
        let positiveTexts = Set(gitleaks.filter(\.isPositive).map { "\($0.rule)\u{0}\($0.text)" })
        for item in gitleaks {
            guard let rules = ConformanceMapping.gitleaks[item.rule] else {
                let reason = ConformanceMapping.gitleaksOutOfScope[item.rule] ?? ConformanceMapping.gitleaksDefaultReason
                report.outOfScope["gitleaks \(item.rule): \(reason)", default: 0] += 1
                continue
            }
            if !item.isPositive && positiveTexts.contains("\(item.rule)\u{0}\(item.text)") {
                report.outOfScope["gitleaks \(item.rule): negative only because of its file path (\(item.path ?? "-"))", default: 0] += 1
                continue
            }
            let found = session.classify(item.text).findings.filter { rules.contains($0.ruleID) }
            let place = "\(item.origin):\(item.line)"
            report.scores[key("gitleaks", gitleaksFamily(item.rule)), default: FamilyScore()].record(
                positive: item.isPositive, correct: item.isPositive ? !found.isEmpty : found.isEmpty,
                note: "\(place) \(item.rule) \(item.text.prefix(120).debugDescription) → \(found.map(\.ruleID))")
        }
        for item in presidio {
            if let dispute = ConformanceMapping.presidioDisputed.first(where: { $0.entity == item.entity && $0.applies(item) }) {
                report.disputed["presidio \(item.entity): \(dispute.reason)", default: 0] += 1
                continue
            }
            guard let rules = ConformanceMapping.presidio[item.entity] else {
                report.outOfScope["presidio \(item.entity): \(ConformanceMapping.presidioOutOfScopeReason(item.entity))", default: 0] += 1
                continue
            }
            if let leniency = item.params?.leniency, leniency != 1 {
                report.outOfScope["presidio \(item.entity): tests libphonenumber leniency \(leniency), not the default (1)", default: 0] += 1
                continue
            }
            let found = session.classify(item.text).findings.filter { rules.contains($0.ruleID) }
            let correct = item.isPositive ? spansAgree(item, found.map(\.range)) : found.isEmpty
            report.scores[key("presidio", item.entity), default: FamilyScore()].record(
                positive: item.isPositive, correct: correct,
                note: "\(item.origin):\(item.line) \(item.text.prefix(120).debugDescription) expected \(item.expected_count) \(item.spans_utf8 ?? []) → \(found.map { "\($0.ruleID)@\($0.range)" })")
        }
        return report
    }

    /// Presidio's contract: exactly the expected number of results, and the first results at
    /// the expected UTF-8 spans (whitespace around an expected span is not significant: one
    /// of Presidio's patterns reports the space before a NINO).
    static func spansAgree(_ item: PeerSuites.PresidioCase, _ found: [Range<Int>]) -> Bool {
        guard found.count == item.expected_count else { return false }
        let bytes = Array(item.text.utf8)
        let expected = (item.spans_utf8 ?? []).map { span -> Range<Int> in
            var start = span[0], end = span[1]
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            return start..<end
        }
        let ordered = item.result_order == "sorted_by_start" ? found.sorted { $0.lowerBound < $1.lowerBound } : found
        return zip(expected, ordered).allSatisfy { $0 == $1 }
    }

    /// The table printed by the conformance test.
    func table(floors: [String: ConformanceFloor]) -> String {
        func rate(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "  n/a" }
        func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
        func left(_ text: String, _ width: Int) -> String { text.count >= width ? text : String(repeating: " ", count: width - text.count) + text }
        func row(_ cells: [String]) -> String {
            pad(cells[0], 9) + " " + pad(cells[1], 26) + " " + left(cells[2], 5) + "  " + left(cells[3], 6) + "  "
                + left(cells[4], 6) + "  " + left(cells[5], 5) + "  " + left(cells[6], 7) + "  " + left(cells[7], 7)
        }
        var lines = [row(["suite", "family", "pos", "recall", "floor", "neg", "FP rate", "ceiling"])]
        for key in scores.keys.sorted() {
            let score = scores[key]!
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            let floor = floors[key] ?? ConformanceFloor()
            lines.append(row([parts[0], parts[1], "\(score.positives)", rate(score.recall), rate(floor.minRecall),
                              "\(score.negatives)", rate(score.falsePositiveRate), rate(floor.maxFalsePositiveRate)]))
        }
        let total = scores.values.reduce(into: FamilyScore()) {
            $0.positives += $1.positives; $0.hits += $1.hits; $0.negatives += $1.negatives; $0.falsePositives += $1.falsePositives
        }
        lines.append(row(["all", "(in scope)", "\(total.positives)", rate(total.recall), "", "\(total.negatives)",
                          rate(total.falsePositiveRate), ""]))
        lines.append("")
        lines.append("out of scope (cases, reason):")
        for (reason, count) in outOfScope.sorted(by: { $0.key < $1.key }) { lines.append(left("\(count)", 5) + "  " + reason) }
        lines.append("")
        lines.append("disputed (not counted; the peer's expectation contradicts the specification):")
        for (reason, count) in disputed.sorted(by: { $0.key < $1.key }) { lines.append(left("\(count)", 5) + "  " + reason) }
        return lines.joined(separator: "\n")
    }
}

extension FamilyScore {
    mutating func record(positive: Bool, correct: Bool, note: String) {
        if positive {
            positives += 1
            if correct { hits += 1 } else { misses.append(note) }
        } else {
            negatives += 1
            if !correct { falsePositives += 1; falseAlarms.append(note) }
        }
    }
}

/// The floor a family must hold: the brief's targets (recall ≥ 0.95, false positives ≤ 0.05)
/// unless a lower floor is set, with its reason, in ConformanceTests.
struct ConformanceFloor {
    var minRecall: Double? = 0.95
    var maxFalsePositiveRate: Double? = 0.05
    var reason: String = ""
}
