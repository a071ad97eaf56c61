"""The interaction check as a CDS Hooks 2.0 service, for EHRs: discovery at
`/cds-services`, the services `gutbrain-order-select` and `gutbrain-order-sign`.

- `models`: the registered EHRs (`CdsClient`), the token ids seen (`UsedTokenId`) and the
  log of calls (`CdsCall`);
- `auth`: the EHR's signed JWT (`Authorization: Bearer …`);
- `services`: the two services, what they read from a call, and the check they run;
- `fhirdata`: reading orders, medicines and observations from FHIR R4 data;
- `fetch`: reading what a call did not carry from the EHR's registered FHIR server;
- `cards`: the check's answer as cards, in the request's language;
- `views`: the endpoints.
"""
