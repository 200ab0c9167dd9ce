#compdef sitewire
# zsh completion for sitewire: `source <(sitewire completion zsh)` (after compinit), or save it as _sitewire in a
# directory of $fpath. The suggestions come from sitewire itself (its [suggest] directive), so verbs, options,
# node and host names of the topology, lab ids and paths are those of the sitewire you run.
_sitewire() {
  local program=${words[1]/#\~/$HOME}
  local line="sitewire ${(j: :)${(@)words[2,CURRENT-1]}}"
  [[ $CURRENT -gt 2 ]] && line+=" "
  line+=$PREFIX
  local position=${#line}
  line+="$SUFFIX ${(j: :)${(@)words[CURRENT+1,-1]}}"
  local -a suggestions directories others
  suggestions=("${(@f)$("$program" "[suggest:$position]" "$line" 2>/dev/null </dev/null)}")
  local suggestion
  for suggestion in "${suggestions[@]}"; do
    [[ -n $suggestion ]] || continue
    if [[ $suggestion == */ ]]; then directories+=("$suggestion"); else others+=("$suggestion"); fi
  done
  (( ${#others} )) && compadd -- "${others[@]}"
  (( ${#directories} )) && compadd -S '' -- "${directories[@]}"
  return 0
}

if [[ $funcstack[1] == _sitewire ]]; then
  _sitewire "$@"
else
  compdef _sitewire sitewire
fi
