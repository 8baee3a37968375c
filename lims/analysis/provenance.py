"""What a run did, for the derived record's XML (`derivation`) and as W3C PROV-JSON (`prov_json`)."""
import json

from django.conf import settings


def _iso(when) -> str | None:
    return when.isoformat(timespec="seconds") if when else None


def derivation(run) -> dict:
    """Method, version, parameters with units, inputs by record id and sha256, agent and times of a run."""
    return {
        "run": str(run.pk),
        "url": f"{settings.SITE_URL}/analysis/runs/{run.pk}/",
        "method": run.method.slug,
        "method_title": run.method.title,
        "version": run.method.version,
        "kind": run.method.kind,
        "parameters": run.params,
        "inputs": [{"record": run.record_id, "file": item.get("file_id"), "name": item["name"],
                    "sha256": item["sha256"]} for item in run.inputs],
        "agent": run.requested_by.get_username() if run.requested_by else "",
        "started": _iso(run.started),
        "ended": _iso(run.finished),
        "environment": run.environment,
    }


def prov_json(run) -> dict:
    """The run as a PROV-JSON document: inputs used, the derived record generated, who and what did it."""
    base = settings.SITE_URL + "/"
    activity = f"lims:analysis/runs/{run.pk}"
    method = f"lims:analysis/methods/{run.method.slug}/{run.method.version}"
    doc = {
        "prefix": {"lims": base, "sha256": "urn:sha256:"},
        "entity": {}, "activity": {}, "agent": {}, "used": {}, "wasGeneratedBy": {}, "wasDerivedFrom": {},
        "wasAssociatedWith": {}, "wasAttributedTo": {},
    }
    times = {key: {"$": value, "type": "xsd:dateTime"} for key, value in
             (("prov:startTime", _iso(run.started)), ("prov:endTime", _iso(run.finished))) if value}
    doc["activity"][activity] = {
        "prov:type": "lims:AnalysisRun", "prov:label": f"{run.method.title} ({run.state})",
        "lims:state": run.state, "lims:parameters": json.dumps(run.params, sort_keys=True), **times,
    }
    doc["agent"][method] = {"prov:type": {"$": "prov:SoftwareAgent", "type": "prov:QUALIFIED_NAME"},
                            "prov:label": run.method.title, "lims:version": run.method.version,
                            "lims:kind": run.method.kind}
    doc["wasAssociatedWith"]["_:assoc_method"] = {"prov:activity": activity, "prov:agent": method}
    if run.requested_by:
        person = f"lims:users/{run.requested_by.get_username()}"
        doc["agent"][person] = {"prov:type": {"$": "prov:Person", "type": "prov:QUALIFIED_NAME"}}
        doc["wasAssociatedWith"]["_:assoc_person"] = {"prov:activity": activity, "prov:agent": person}
    source = f"lims:records/{run.record_id}"
    doc["entity"][source] = {"prov:type": "lims:Record", "prov:label": run.record.title}
    for number, item in enumerate(run.inputs):
        entity = f"sha256:{item['sha256']}"
        doc["entity"][entity] = {"prov:label": item["name"], "lims:record": run.record_id}
        doc["used"][f"_:used{number}"] = {"prov:activity": activity, "prov:entity": entity}
    output = run.output_record
    if output is not None:
        derived = f"lims:records/{output.pk}"
        doc["entity"][derived] = {"prov:type": "lims:Record", "prov:label": output.title or "derived record"}
        doc["wasGeneratedBy"]["_:generated"] = {"prov:entity": derived, "prov:activity": activity}
        doc["wasDerivedFrom"]["_:derived"] = {"prov:generatedEntity": derived, "prov:usedEntity": source,
                                              "prov:activity": activity}
        if run.requested_by:
            doc["wasAttributedTo"]["_:attributed"] = {"prov:entity": derived,
                                                      "prov:agent": f"lims:users/{run.requested_by.get_username()}"}
    return {key: value for key, value in doc.items() if value}
