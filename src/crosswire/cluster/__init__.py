from crosswire.cluster.online import Candidate, CandidateSource, ClusterPolicy, Placement, assign, place

__all__ = ["Candidate", "CandidateSource", "ClusterPolicy", "Placement", "assign", "place"]
